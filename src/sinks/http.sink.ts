import { HttpSinkConfig } from '../config/sink-config';
import { parseDuration } from '../config/units';
import { templateContext } from '../rules/context';
import { TemplateSet } from '../rules/route';
import { parseRetryAfter } from './retry-after';
import { PermanentSinkError, Sink, SinkEvent, TransientSinkError } from './sink';
import { standardWebhookHeaders } from './standard-webhooks';

export interface HttpMessage {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

const USER_AGENT = 'jogg-bridge/0.1';

/** POSTs (or PUTs/PATCHes) the event to a URL; 2xx is success, 408/429/5xx and network errors are retried. */
export class HttpSink extends Sink<HttpMessage> {
  readonly type = 'http';
  private readonly timeoutMs: number;

  constructor(name: string, templates: TemplateSet, private readonly config: HttpSinkConfig) {
    super(name, templates);
    this.timeoutMs = parseDuration(config.timeout)!;
  }

  render(event: SinkEvent, overrides?: TemplateSet): HttpMessage {
    const template = this.template('body', overrides);
    const body = template ? template.render(templateContext(event)) : event.body;
    return {
      method: this.config.method,
      url: this.config.url,
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'x-jogg-event': event.envelope.event,
        ...(event.envelope.event_id ? { 'x-jogg-event-id': event.envelope.event_id } : {}),
        ...this.config.headers,
      },
      body,
    };
  }

  async send(message: HttpMessage, event: SinkEvent): Promise<void> {
    const headers = this.config.sign
      ? { ...message.headers, ...standardWebhookHeaders(this.config.sign.secret, `jb_${event.deliveryId}`, message.body) }
      : message.headers;
    let response: Response;
    try {
      response = await fetch(message.url, {
        method: message.method,
        headers,
        body: message.body,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'manual',
      });
    } catch (error) {
      throw new TransientSinkError(describeNetworkError(error, this.timeoutMs));
    }
    const text = await response.text().catch(() => '');
    if (response.ok) return;
    const detail = `HTTP ${response.status}${text ? `: ${text.slice(0, 200).replace(/\s+/g, ' ').trim()}` : ''}`;
    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      throw new TransientSinkError(detail, parseRetryAfter(response.headers.get('retry-after')));
    }
    throw new PermanentSinkError(detail);
  }
}

export function describeNetworkError(error: unknown, timeoutMs: number): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const cause = e.cause?.code ?? e.cause?.message ?? e.message;
  if (cause === 'bad port') return 'network error: the URL uses a port that fetch refuses (a "bad port")';
  return `network error: ${cause}`;
}
