import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { JOGG_EVENTS, JoggEnvelope } from '../common/jogg-event';
import { sampleEvent } from '../common/jogg-samples';
import { sign } from '../common/webhook-signature';
import { JOGG_CODES, JOGG_ENDPOINT_LIMIT, JoggEndpoint } from './jogg-api.types';

export interface FakeJoggOptions {
  apiKey: string;
  port?: number;
  /** Loopback by default; 0.0.0.0 inside a container. */
  host?: string;
  /** Where emitted webhooks really go: maps an endpoint's public URL to a reachable one (default: as is). */
  deliverTo?: (url: string) => string;
  /** JoggAI's POST budget per key (default 20 a minute). */
  postsPerMinute?: number;
}

type Injected = { httpStatus: number; code: number; msg: string } | { delayMs: number };

/**
 * A local stand-in for JoggAI's endpoint API (docs/JOGGAI.md §1): x-api-key auth (a bad key answers HTTP 401
 * like JoggAI's own fake), the {code,msg,data} envelope with errors as HTTP 200 and a non-zero code, the
 * 20-endpoint limit, code 429 over 20 POSTs a minute, generated secrets, the event catalogue. It can also
 * send signed webhooks to every enabled endpoint subscribed to an event, as JoggAI does.
 */
export class FakeJogg {
  readonly endpoints = new Map<string, JoggEndpoint>();
  readonly requests: { method: string; path: string; at: number }[] = [];
  url = '';
  private server?: Server;
  private posts: number[] = [];
  private injected: Injected[] = [];
  private seq = 0;

  constructor(private readonly options: FakeJoggOptions) {}

  static async start(options: FakeJoggOptions): Promise<FakeJogg> {
    const fake = new FakeJogg(options);
    fake.server = createServer((req, res) => void fake.handle(req, res));
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve) => fake.server!.listen(options.port ?? 0, host, resolve));
    fake.url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The next requests get these answers (errors or delays) before the normal behaviour resumes. */
  inject(...answers: Injected[]): void {
    this.injected.push(...answers);
  }

  /**
   * Sends `event` to every enabled endpoint subscribed to it, signed with that endpoint's secret. `url` is
   * the endpoint's registered (public) URL, `deliveredTo` where the webhook really went (after deliverTo).
   */
  async emit(event: string, body: JoggEnvelope = sampleEvent(event)): Promise<{ url: string; deliveredTo: string; status: number }[]> {
    const text = JSON.stringify(body);
    const targets = [...this.endpoints.values()].filter((e) => e.status === 'enabled' && e.events.includes(event));
    return Promise.all(targets.map(async (endpoint) => {
      const deliveredTo = this.options.deliverTo ? this.options.deliverTo(endpoint.url) : endpoint.url;
      let res: Response;
      try {
        res = await fetch(deliveredTo, {
          method: 'POST',
          body: text,
          headers: { 'content-type': 'application/json', 'user-agent': 'JoggAI-Webhook/2.0', 'x-webhook-event': event, 'x-webhook-signature': sign(text, endpoint.secret) },
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
        throw new Error(`cannot deliver to ${deliveredTo}: ${cause}`);
      }
      await res.text();
      return { url: endpoint.url, deliveredTo, status: res.status };
    }));
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '').split('?')[0];
    const method = req.method ?? 'GET';
    this.requests.push({ method, path, at: Date.now() });
    const answer = (httpStatus: number, code: number, msg: string, data: unknown = null) => {
      res.writeHead(httpStatus, { 'content-type': 'application/json' }).end(JSON.stringify({ code, msg, data }));
    };
    if (req.headers['x-api-key'] !== this.options.apiKey) return answer(401, JOGG_CODES.invalidApiKey, 'Invalid API key');
    const injected = this.injected.shift();
    if (injected && 'delayMs' in injected) await new Promise((resolve) => setTimeout(resolve, injected.delayMs));
    else if (injected) return answer(injected.httpStatus, injected.code, injected.msg);
    if (method === 'POST' && !this.allowPost()) return answer(200, JOGG_CODES.rateLimited, 'Too many requests');
    let body: Record<string, unknown> = {};
    if (chunks.length) {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return answer(200, JOGG_CODES.parameterError, 'Parameter error: body must be JSON');
      }
    }
    const id = /^\/v2\/endpoint\/([^/]+)$/.exec(path)?.[1];
    if (method === 'GET' && path === '/v2/endpoints') return answer(200, 0, 'Success', { endpoints: [...this.endpoints.values()] });
    if (method === 'GET' && path === '/v2/events') return answer(200, 0, 'Success', { events: [...JOGG_EVENTS] });
    if (method === 'POST' && path === '/v2/endpoint') {
      const problem = invalid(body);
      if (problem) return answer(200, JOGG_CODES.parameterError, problem);
      if (this.endpoints.size >= JOGG_ENDPOINT_LIMIT) return answer(200, JOGG_CODES.parameterError, `Parameter error: at most ${JOGG_ENDPOINT_LIMIT} endpoints`);
      const endpoint: JoggEndpoint = {
        endpoint_id: `wh_${Date.now()}${++this.seq}`, url: body.url as string, secret: `whsec_${randomBytes(12).toString('hex')}`,
        status: body.status as JoggEndpoint['status'], events: body.events as string[], username: 'fake', created_at: Math.floor(Date.now() / 1000),
      };
      this.endpoints.set(endpoint.endpoint_id, endpoint);
      return answer(200, 0, 'Success', endpoint);
    }
    if (id && (method === 'PUT' || method === 'DELETE')) {
      const endpoint = this.endpoints.get(decodeURIComponent(id));
      if (!endpoint) return answer(200, JOGG_CODES.notFound, 'Record not found');
      if (method === 'DELETE') {
        this.endpoints.delete(endpoint.endpoint_id);
        return answer(200, 0, 'Success', { message: 'webhook deleted' });
      }
      const problem = invalid(body);
      if (problem) return answer(200, JOGG_CODES.parameterError, problem);
      Object.assign(endpoint, { url: body.url, status: body.status, events: body.events });
      return answer(200, 0, 'Success', endpoint);
    }
    return answer(404, JOGG_CODES.notFound, 'Record not found');
  }

  private allowPost(): boolean {
    const now = Date.now();
    this.posts = this.posts.filter((at) => now - at < 60_000);
    if (this.posts.length >= (this.options.postsPerMinute ?? 20)) return false;
    this.posts.push(now);
    return true;
  }
}

function invalid(body: Record<string, unknown>): string | undefined {
  for (const field of ['url', 'status', 'events']) if (body[field] === undefined) return `Parameter error: ${field} is required`;
  if (typeof body.url !== 'string' || !body.url.startsWith('https://')) return 'Parameter error: url must be a public https URL';
  if (body.status !== 'enabled' && body.status !== 'disabled') return 'Parameter error: status must be enabled or disabled';
  if (!Array.isArray(body.events) || !body.events.every((e) => typeof e === 'string')) return 'Parameter error: events must be a list of names';
  return undefined;
}
