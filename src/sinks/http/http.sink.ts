import { cutText } from '../../common/cut-text';
import { Agent as HttpAgent, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { HttpSinkConfig } from './http.config';
import { parseDuration } from '../../common/units';
import { TemplateSet } from '../../templating';
import { parseRetryAfter } from '../core/retry-after';
import { PermanentSinkError, Sink, SinkEvent, templateContextOf, TransientSinkError } from '../core/sink';
import { describeNetworkError } from '../core/network-error';
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
  /** Kept-alive connections to the one URL this sink posts to (node:http: far less garbage per request than fetch). */
  private readonly agent: HttpAgent;

  private readonly target: string;

  constructor(name: string, templates: TemplateSet, private readonly config: HttpSinkConfig) {
    super(name, templates);
    this.timeoutMs = parseDuration(config.timeout)!;
    const url = new URL(config.url);
    const https = url.protocol === 'https:';
    // named in network errors; host and port only (a path or query may carry a token)
    this.target = `${url.protocol}//${url.host}`;
    this.agent = new (https ? HttpsAgent : HttpAgent)({ keepAlive: true, maxSockets: config.concurrency ?? Infinity }); // the dispatcher bounds concurrency
  }

  override async close(): Promise<void> {
    this.agent.destroy();
  }

  render(event: SinkEvent, overrides?: TemplateSet): HttpMessage {
    const template = this.template('body', overrides);
    const body = template ? this.rendering(() => template.render(templateContextOf(event))) : event.body;
    return {
      method: this.config.method,
      url: this.config.url,
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'x-jogg-event': headerValue(event.envelope.event),
        ...(event.envelope.event_id ? { 'x-jogg-event-id': headerValue(event.envelope.event_id) } : {}),
        ...this.config.headers,
      },
      body,
    };
  }

  /**
   * The headers `send` adds to the rendered message, for a preview (console, dry run): the signature and its
   * timestamp are made per attempt, so they are shown as placeholders; without a delivery (a dry run) the id too.
   */
  headersAddedAtSend(event: SinkEvent): Record<string, string> {
    const sign: Record<string, string> = this.config.sign
      ? { 'webhook-id': event.deliveryId ? `jb_${event.deliveryId}` : 'jb_<delivery id>', 'webhook-timestamp': '[time of each attempt]', 'webhook-signature': '[computed at send]' }
      : {};
    return { ...sign, 'webhook-attempt': String(event.attempt ?? 1) };
  }

  async send(message: HttpMessage, event: SinkEvent): Promise<void> {
    // webhook-id stays the same on every attempt; webhook-attempt lets the receiver tell a retry from a first send.
    // (headersAddedAtSend describes these for previews: change both together)
    const attempt = { 'webhook-attempt': String(event.attempt ?? 1) };
    const headers = this.config.sign
      ? { ...message.headers, ...standardWebhookHeaders(this.config.sign.secret, `jb_${event.deliveryId}`, message.body), ...attempt }
      : { ...message.headers, ...attempt };
    let response: HttpResponse;
    try {
      response = await exchange(message, headers, this.agent, this.timeoutMs).catch((error) =>
        // a kept-alive connection the receiver closed just as we reused it: nothing reached it; once more on a new one
        isStaleSocket(error) ? exchange(message, headers, this.agent, this.timeoutMs) : Promise.reject(error));
    } catch (error) {
      if (isRequestFault(error)) throw new PermanentSinkError(`invalid request: ${(error as Error).message}`);
      throw new TransientSinkError(`${describeNetworkError(error, this.timeoutMs)} (${this.target})`);
    }
    const { text } = response;
    if (response.status >= 200 && response.status < 300) return;
    const detail = `HTTP ${response.status}${text ? `: ${cutText(text.replace(/\s+/g, ' ').trim(), 200)}` : ''}`;
    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      throw new TransientSinkError(detail, parseRetryAfter(one(response.headers['retry-after'])));
    }
    throw new PermanentSinkError(detail);
  }
}

/**
 * A header value any HTTP stack accepts: visible ASCII but `%` as is, every other byte of the UTF-8
 * encoding (controls, spaces, non-ASCII, and `%` itself) as `%XX`, so `decodeURIComponent` gives the
 * value back. JoggAI's snake_case ASCII names pass unchanged.
 */
export function headerValue(value: string): string {
  if (/^[\x21-\x24\x26-\x7e]*$/.test(value)) return value;
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    encoded += byte >= 0x21 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** Node's refusals of the request itself (a bad header, URL or method): sending it again cannot help. */
const REQUEST_FAULTS = new Set([
  'ERR_INVALID_CHAR', 'ERR_INVALID_HTTP_TOKEN', 'ERR_HTTP_INVALID_HEADER_VALUE', 'ERR_INVALID_URL', 'ERR_INVALID_PROTOCOL',
  'ERR_UNESCAPED_CHARACTERS', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE',
]);

function isRequestFault(error: unknown): boolean {
  return REQUEST_FAULTS.has((error as { code?: string }).code ?? '');
}

interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The start of the answer's body (enough for an error message). */
  text: string;
}

const KEEP = 4096;

/** One request and its answer, within `timeoutMs` from the start to the last byte of the answer; redirects are not followed. */
function exchange(message: HttpMessage, headers: Record<string, string>, agent: HttpAgent, timeoutMs: number): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(message.url);
    const body = Buffer.from(message.body);
    let answered = false;
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      { method: message.method, headers: { ...headers, 'content-length': String(body.length) }, agent },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          if (kept < KEEP) chunks.push(chunk);
          kept += chunk.length;
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).subarray(0, KEEP).toString('utf8') });
        });
        res.on('close', () => {
          if (res.complete) return;
          clearTimeout(timer);
          reject(Object.assign(new Error('the connection closed before the answer was complete'), { code: 'ECONNRESET' }));
        });
      },
    );
    const timer = setTimeout(() => request.destroy(Object.assign(new Error(`timed out after ${timeoutMs} ms`), { name: 'TimeoutError' })), timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      // Node's advice for keep-alive: a reset on a reused socket before any answer is the server's idle close racing us
      reject(request.reusedSocket && !answered && (error as { code?: string }).code === 'ECONNRESET' ? Object.assign(error, { staleSocket: true }) : error);
    });
    request.end(body);
  });
}

const isStaleSocket = (error: unknown) => (error as { staleSocket?: boolean })?.staleSocket === true;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? null;
