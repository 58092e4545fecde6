import { cutText } from '../../common/cut-text';
import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError } from '@slack/webhook';
import { SlackSinkConfig } from './slack.config';
import { parseDuration } from '../../common/units';
import { compileTemplate, GroupInput, groupTemplateContext, StructuredTemplate, TemplateSet } from '../../templating';
import { DEFAULT_GROUP_BLOCKS, DEFAULT_GROUP_TEXT, dropEmptySections } from './slack-group';
import { describeNetworkError } from '../core/network-error';
import { parseRetryAfter } from '../core/retry-after';
import { PermanentSinkError, Sink, SinkEvent, templateContextOf, TransientSinkError } from '../core/sink';
import { fitSlack } from './slack-limits';

export interface SlackMessage {
  text: string;
  blocks?: unknown[];
}

/**
 * Used when neither the route nor the sink gives a text: what an on-call person needs at a glance —
 * `:x: *generated_video_failed* `ba25…aefb` failed: Video generation failed (code 50000, 2026-11-26T10:00:00.000Z)`.
 */
const DEFAULT_TEXT = compileTemplate(
  '{% if error_message %}:x:{% else %}:white_check_mark:{% endif %} *{{ event }}*' +
    '{% if resource_id %} `{{ resource_id }}`{% endif %}{% if error_message %} failed: {{ error_message }}{% endif %}' +
    ' ({% if error_code %}code {{ error_code }}, {% endif %}{{ time }})',
);

/** Slack's answers that retrying cannot fix (https://api.slack.com/messaging/webhooks#handling_errors). */
const PERMANENT_STATUS = new Set([400, 403, 404, 410]);

/** Posts to a Slack incoming webhook; 429 waits for Retry-After, Slack's documented errors are permanent. */
export class SlackSink extends Sink<SlackMessage> {
  readonly type = 'slack';
  private readonly timeoutMs: number;

  constructor(name: string, templates: TemplateSet, private readonly config: SlackSinkConfig) {
    super(name, templates);
    this.timeoutMs = parseDuration(config.timeout)!;
  }

  render(event: SinkEvent, overrides?: TemplateSet): SlackMessage {
    const context = templateContextOf(event);
    const text = this.rendering(() => (this.template('text', overrides) ?? DEFAULT_TEXT).render(context, escapeSlack));
    const blocks = this.rendering(() => (this.template('blocks', overrides) as StructuredTemplate | undefined)?.renderValue(context, escapeSlack) as unknown[] | undefined);
    // cut here, not when sending, so a dry run shows what Slack will get
    return fitSlack(blocks ? { text, blocks } : { text });
  }

  /**
   * One message for a group (alerting): `group_text` and `group_blocks` from the route, then the sink, then the
   * defaults (blocks listing the first members). A `group_text` given without `group_blocks` sends text alone.
   */
  override renderGroup(group: GroupInput, overrides?: TemplateSet): SlackMessage {
    const context = groupTemplateContext(group);
    const ownText = this.template('group_text', overrides);
    const text = this.rendering(() => (ownText ?? DEFAULT_GROUP_TEXT).render(context, escapeSlack));
    const template = (this.template('group_blocks', overrides) as StructuredTemplate | undefined) ?? (ownText ? undefined : DEFAULT_GROUP_BLOCKS);
    const blocks = this.rendering(() => template?.renderValue(context, escapeSlack) as unknown[] | undefined);
    return fitSlack(blocks ? { text, blocks: dropEmptySections(blocks) } : { text });
  }

  async send(message: SlackMessage): Promise<void> {
    let retryAfter: string | null = null;
    const webhook = new IncomingWebhook(this.config.url, {
      timeout: this.timeoutMs,
      ...(this.config.username ? { username: this.config.username } : {}),
      ...(this.config.icon_emoji ? { icon_emoji: this.config.icon_emoji } : {}),
      fetch: async (input: string | URL | Request, init?: RequestInit) => {
        const response = await fetch(input, init);
        retryAfter = response.headers.get('retry-after');
        return response;
      },
    });
    try {
      await webhook.send(message as Parameters<IncomingWebhook['send']>[0]);
    } catch (error) {
      throw classify(error, retryAfter, this.timeoutMs);
    }
  }
}

function classify(error: unknown, retryAfter: string | null, timeoutMs: number): Error {
  if (error instanceof IncomingWebhookHTTPError) {
    const detail = `Slack answered ${error.statusCode}${error.body ? ` ${cutText(error.body.trim(), 100)}` : ''}`;
    if (error.statusCode === 429) return new TransientSinkError(detail, parseRetryAfter(retryAfter));
    if (PERMANENT_STATUS.has(error.statusCode)) return new PermanentSinkError(detail);
    return new TransientSinkError(detail, parseRetryAfter(retryAfter));
  }
  if (error instanceof IncomingWebhookRequestError) return new TransientSinkError(describeNetworkError(error.original, timeoutMs));
  return new TransientSinkError((error as Error).message);
}

/** Slack mrkdwn: payload text must not become links or @-mentions (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
