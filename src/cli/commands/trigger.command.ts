import { readFileSync } from 'node:fs';
import { Command, Help, Option } from 'nest-commander';
import { JOGG_EVENTS } from '../../common/jogg-event';
import { closest } from '../../common/did-you-mean';
import { newEventId, sampleEvent, setPath } from '../../common/jogg-samples';
import { sign } from '../../common/webhook-signature';
import { describeNetworkError } from '../../sinks/core/network-error';
import { loadCliPartialConfig } from '../cli-context';
import { MAX_DEPTH, scanJson } from '../../ingress/json-scan';
import { CliError } from '../cli-error';
import { print, printJson } from '../format';
import { BaseOptions, JsonCommand } from './base.command';

interface TriggerOptions extends BaseOptions {
  url?: string;
  secret?: string;
  fixture?: string;
  set?: string[];
}

@Command({
  name: 'trigger',
  arguments: '<event>',
  description: 'send a realistic, signed JoggAI webhook for any event, exactly as JoggAI would',
  argsDescription: { event: `an event name, e.g. generated_video_failed (known: ${JOGG_EVENTS.length} names; others are sent as given)` },
})
export class TriggerCommand extends JsonCommand<TriggerOptions> {
  async run([event]: string[], options: TriggerOptions): Promise<void> {
    const secret = options.secret ?? process.env.JOGG_WEBHOOK_SECRET;
    if (!secret) throw new CliError('no secret: pass --secret or set JOGG_WEBHOOK_SECRET');
    const body = this.build(event, options);
    const text = JSON.stringify(body);
    const url = options.url ?? bridgeUrl(options.config);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        body: text,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'JoggAI-Webhook/2.0',
          'x-webhook-event': body.event as string,
          'x-webhook-signature': sign(text, secret),
        },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new CliError(unreachable(url, error, options.url !== undefined));
    }
    // an event JoggAI does not send is sent as given (to test routing of new events), with a note on stderr
    if (!options.fixture && !(JOGG_EVENTS as readonly string[]).includes(event)) {
      const close = closest(event, JOGG_EVENTS);
      process.stderr.write(`note: "${event}" is not one of the ${JOGG_EVENTS.length} JoggAI events${close ? ` (did you mean "${close}"?)` : ''}; sent as given\n`);
    }
    const answer = await response.text();
    if (options.json) printJson({ status: response.status, request: body, response: tryJson(answer) });
    else print(`POST ${url} ${body.event} → ${response.status}\n${answer}`);
    if (!response.ok) process.exitCode = 1;
  }

  private build(event: string, options: TriggerOptions): Record<string, unknown> {
    const body: Record<string, unknown> = options.fixture ? this.fixture(options.fixture) : { ...sampleEvent(event) };
    if (options.fixture) {
      // a fixture is one kind of event: sending it as another would store a success as a failure
      if (typeof body.event === 'string' && body.event !== event) {
        throw new CliError(`${options.fixture} is a ${body.event} event, not ${event}: name its event, or edit the fixture`);
      }
      // each trigger is a new event, as JoggAI would send it: a fresh id (a second run would be a duplicate) and the time now
      if ('event_id' in body) body.event_id = newEventId();
      body.timestamp = Math.floor(Date.now() / 1000);
    }
    body.event = event;
    for (const assignment of options.set ?? []) {
      const eq = assignment.indexOf('=');
      if (eq < 1) throw new CliError(`--set takes path=value, e.g. data.video_id=abc, not "${assignment}"`);
      try {
        setPath(body, assignment.slice(0, eq), tryJson(assignment.slice(eq + 1)));
      } catch (error) {
        throw new CliError(`--set ${assignment}: ${(error as Error).message}`);
      }
    }
    return body;
  }

  private fixture(path: string): Record<string, unknown> {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    // the bridge refuses deeper bodies, and re-serialising one would overflow the stack here
    if (scanJson(text).tooDeep) throw new CliError(`${path}: nested deeper than ${MAX_DEPTH} levels (the bridge refuses such bodies)`);
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
    } catch (error) {
      throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
    }
    throw new CliError(`${path}: must hold a JSON object`);
  }

  @Option({ flags: '-u, --url <url>', description: "where to send it (default: the bridge's /webhooks/jogg, from server.port and PORT)" })
  parseUrl(value: string): string {
    return value;
  }

  @Option({ flags: '-s, --secret <secret>', description: 'the signing secret (default: $JOGG_WEBHOOK_SECRET)' })
  parseSecret(value: string): string {
    return value;
  }

  @Option({ flags: '-f, --fixture <file>', description: 'send this body (its timestamp is set to now) instead of a generated one' })
  parseFixture(value: string): string {
    return value;
  }

  @Option({ flags: '--set <path=value>', description: 'override a field, e.g. data.video_id=abc (JSON values allowed); repeatable' })
  parseSet(value: string, previous: string[] = []): string[] {
    return [...previous, value];
  }

  @Help('afterAll')
  example(): string {
    return [
      '',
      'Examples:',
      '  JOGG_WEBHOOK_SECRET=dev-secret jogg-bridge trigger generated_video_failed',
      `  jogg-bridge trigger generated_avatar_video_success --secret dev-secret --set data.duration=95 --set 'data.video_url="https://x/y.mp4"'`,
      '  jogg-bridge trigger generated_image_failed --url http://127.0.0.1:3000/webhooks/jogg/videos --fixture my-body.json',
      '',
      `Known events: ${JOGG_EVENTS.join(', ')}`,
    ].join('\n');
  }
}

/** The running bridge's webhook URL, from the config's server section and PORT (as `serve` would listen). */
function bridgeUrl(configPath: string | undefined): string {
  const { server } = loadCliPartialConfig(configPath);
  return `http://${connectableHost(server.host)}:${server.port}/webhooks/jogg`;
}

/** The address a local client uses for a listening address: a wildcard means this machine. */
function connectableHost(host: string): string {
  if (host === '' || host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function unreachable(url: string, error: unknown, explicit: boolean): string {
  const reason = describeNetworkError(error, 10_000).replace(/^network error: /, '');
  if (!/ECONNREFUSED/.test(reason)) return `cannot reach ${url}: ${reason}`;
  const from = explicit ? '' : ' (the URL comes from server.port in the config, or PORT)';
  return `cannot reach ${url}: connection refused; is the bridge running? start it with npm start, or pass --url${from}`;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
