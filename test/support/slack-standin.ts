import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface SlackPost {
  path: string;
  at: number;
  payload: Record<string, unknown>;
  userAgent?: string;
}

/**
 * A local server that answers like Slack's incoming webhooks (https://api.slack.com/messaging/webhooks):
 * `200 ok` on success; `400 invalid_payload` for a body that is not a JSON message, `400 invalid_blocks`
 * for malformed blocks or blocks over Slack's documented limits (more than 50 blocks, a header text over
 * 150 characters, a section text over 3,000, more than 10 fields or a field over 2,000), `403 action_prohibited`, `404 channel_not_found`, `404 no_service`,
 * `410 channel_is_archived`, and `429 rate_limited` with Retry-After when one URL gets more than one
 * message per second. A `text` over 40,000 characters is truncated there, as Slack does. The last path segment picks the behaviour of a webhook URL:
 * `/services/T0/B0/<behaviour>`, with behaviour `ok`, `archived`, `prohibited`, `no-channel`, `no-service`,
 * `flaky` (one 500, then ok) or `busy` (one 429 with Retry-After: 2, then ok).
 */
export class SlackStandIn {
  readonly posts: SlackPost[] = [];
  readonly answers: { path: string; status: number; body: string; at: number }[] = [];
  url = '';
  /** While true, requests are recorded in `held` and not answered (a send in progress, e.g. to kill the bridge during it). */
  hold = false;
  readonly held: { path: string; payload: unknown }[] = [];
  private server?: Server;
  private readonly lastAccepted = new Map<string, number>();
  private readonly tripped = new Set<string>();

  static async start(): Promise<SlackStandIn> {
    const standIn = new SlackStandIn();
    standIn.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (standIn.hold) {
          const text = Buffer.concat(chunks).toString('utf8');
          let payload: unknown = text;
          try {
            payload = JSON.parse(text);
          } catch {
            /* recorded as text */
          }
          standIn.held.push({ path: req.url ?? '', payload });
          return;
        }
        const [status, body, headers] = standIn.answer(req.url ?? '', req.headers['content-type'], Buffer.concat(chunks).toString('utf8'), req.headers['user-agent']);
        standIn.answers.push({ path: req.url ?? '', status, body, at: Date.now() });
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => standIn.server!.listen(0, '127.0.0.1', resolve));
    standIn.url = `http://127.0.0.1:${(standIn.server.address() as AddressInfo).port}`;
    return standIn;
  }

  webhook(behaviour: string): string {
    return `${this.url}/services/T0000/B0000/${behaviour}`;
  }

  postsTo(behaviour: string): SlackPost[] {
    return this.posts.filter((p) => p.path.endsWith(`/${behaviour}`));
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private answer(path: string, contentType: string | undefined, text: string, userAgent?: string): [number, string, Record<string, string>?] {
    const behaviour = path.split('/').pop() ?? '';
    if (!/^\/services\/T\w+\/B\w+\/[\w-]+$/.test(path)) return [404, 'no_service'];
    if (!contentType?.startsWith('application/json')) return [400, 'invalid_payload'];
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(text);
    } catch {
      return [400, 'invalid_payload'];
    }
    if (typeof payload !== 'object' || payload === null || (typeof payload.text !== 'string' && !Array.isArray(payload.blocks))) {
      return [400, 'invalid_payload'];
    }
    if (payload.blocks !== undefined && !validBlocks(payload.blocks)) return [400, 'invalid_blocks'];
    const now = Date.now();
    const last = this.lastAccepted.get(path);
    if (last !== undefined && now - last < 1000) return [429, 'rate_limited', { 'retry-after': '1' }];
    const fixed: Record<string, [number, string]> = {
      archived: [410, 'channel_is_archived'],
      prohibited: [403, 'action_prohibited'],
      'no-channel': [404, 'channel_not_found'],
      'no-service': [404, 'no_service'],
    };
    if (fixed[behaviour]) return fixed[behaviour];
    if (behaviour === 'flaky' && !this.tripped.has(path)) {
      this.tripped.add(path);
      return [500, 'internal_error'];
    }
    if (behaviour === 'busy' && !this.tripped.has(path)) {
      this.tripped.add(path);
      return [429, 'rate_limited', { 'retry-after': '2' }];
    }
    this.lastAccepted.set(path, now);
    if (typeof payload.text === 'string' && payload.text.length > 40_000) payload.text = payload.text.slice(0, 40_000);
    this.posts.push({ path, at: now, payload, userAgent });
    return [200, 'ok'];
  }
}

function validBlocks(blocks: unknown): boolean {
  return Array.isArray(blocks) && blocks.length <= 50 && blocks.every(validBlock);
}

type TextObject = { text?: unknown } | undefined;

function validBlock(block: unknown): boolean {
  if (!block || typeof block !== 'object' || typeof (block as { type?: unknown }).type !== 'string') return false;
  const { type, text, fields } = block as { type: string; text?: TextObject; fields?: TextObject[] };
  const within = (object: TextObject, max: number) => typeof object?.text !== 'string' || object.text.length <= max;
  if (type === 'header') return within(text, 150);
  if (type !== 'section') return true;
  return within(text, 3000) && (fields === undefined || (fields.length <= 10 && fields.every((f) => within(f, 2000))));
}
