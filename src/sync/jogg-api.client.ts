import { EndpointInput, JOGG_CODES, JoggEndpoint } from './jogg-api.types';

/** A JoggAI API failure, whichever way JoggAI reported it (HTTP status, or HTTP 200 with a non-zero code). */
export class JoggApiError extends Error {
  constructor(readonly code: number, readonly joggMessage: string, readonly httpStatus: number, readonly call: string) {
    super(`JoggAI ${call}: ${joggMessage} (code ${code}${httpStatus !== 200 ? `, HTTP ${httpStatus}` : ''})`);
    this.name = 'JoggApiError';
  }

  get retriable(): boolean {
    return this.code === JOGG_CODES.rateLimited || this.code === JOGG_CODES.systemError || this.httpStatus === 429 || this.httpStatus >= 500 || this.code === -1;
  }
}

export interface JoggClientOptions {
  baseUrl?: string;
  apiKey: string;
  timeoutMs?: number;
  /** Attempts in all for a retriable failure. */
  attempts?: number;
  /** JoggAI allows 20 POST requests a minute per key; the client keeps under it by itself. */
  postsPerMinute?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** JoggAI's v2 endpoint API (docs/JOGGAI.md §1): typed errors, timeouts, retries with backoff, a POST budget. */
export class JoggApiClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly postsPerMinute: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly posts: number[] = [];

  constructor(private readonly options: JoggClientOptions) {
    this.baseUrl = (options.baseUrl ?? 'https://api.jogg.ai').replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.attempts = options.attempts ?? 4;
    this.postsPerMinute = options.postsPerMinute ?? 20;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? sleepFor;
  }

  async listEndpoints(): Promise<JoggEndpoint[]> {
    return (await this.call<{ endpoints: JoggEndpoint[] }>('GET', '/v2/endpoints')).endpoints ?? [];
  }

  createEndpoint(input: EndpointInput): Promise<JoggEndpoint> {
    return this.call('POST', '/v2/endpoint', input);
  }

  updateEndpoint(id: string, input: EndpointInput): Promise<JoggEndpoint> {
    return this.call('PUT', `/v2/endpoint/${encodeURIComponent(id)}`, input);
  }

  async deleteEndpoint(id: string): Promise<void> {
    await this.call('DELETE', `/v2/endpoint/${encodeURIComponent(id)}`);
  }

  async listEvents(): Promise<string[]> {
    return (await this.call<{ events: string[] }>('GET', '/v2/events')).events ?? [];
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const name = `${method} ${path}`;
    for (let attempt = 1; ; attempt++) {
      if (method === 'POST') await this.takePostSlot();
      try {
        return await this.once<T>(method, path, name, body);
      } catch (error) {
        if (!(error instanceof JoggApiError) || !error.retriable || attempt >= this.attempts) throw error;
        await this.sleep(Math.min(8000, 500 * 2 ** (attempt - 1)));
      }
    }
  }

  private async once<T>(method: string, path: string, name: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { 'x-api-key': this.options.apiKey, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      const reason = e.name === 'TimeoutError' ? `no answer in ${this.timeoutMs} ms` : `network error: ${e.cause?.code ?? e.message}`;
      throw new JoggApiError(-1, reason, 0, name);
    }
    const text = await response.text();
    let envelope: { code?: unknown; msg?: unknown; data?: unknown };
    try {
      envelope = JSON.parse(text);
    } catch {
      throw new JoggApiError(response.ok ? -2 : response.status, `unexpected answer: ${text.slice(0, 100)}`, response.status, name);
    }
    const code = typeof envelope.code === 'number' ? envelope.code : response.ok ? 0 : response.status;
    if (!response.ok || code !== 0) throw new JoggApiError(code, String(envelope.msg ?? response.statusText), response.status, name);
    return envelope.data as T;
  }

  /** Waits until one more POST fits in the last minute's budget. */
  private async takePostSlot(): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.posts.length && now - this.posts[0] >= 60_000) this.posts.shift();
      if (this.posts.length < this.postsPerMinute) {
        this.posts.push(now);
        return;
      }
      await this.sleep(60_000 - (now - this.posts[0]));
    }
  }
}
