import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { DomainEvents, Subscriptions } from '../common/domain-events';
import { BridgeConfigService } from '../config/bridge-config.service';
import { MetricsService, WebhookOutcome } from '../metrics/metrics.service';
import { answerFor, ErrorAnswer, errorBody, storeUnavailableAnswer } from '../ops/domain-exception.filter';
import { decodeBody, EnvelopeError, parseEnvelope } from './envelope';
import { AnswerCounter } from './answer-counter';
import { IngressResult, IngressService } from './ingress.service';
import { KeyringService } from './keyring.service';
import { verifySignature } from '../common/webhook-signature';

const PREFIX = '/webhooks/jogg';

/**
 * `POST /webhooks/jogg[/:endpoint]`, answered on the HTTP server directly, in front of Fastify's request
 * pipeline: this is the bridge's hot path, and Fastify's per-request machinery cost more than everything
 * else it does (see BENCHMARKS.md). Every other request goes on to Fastify and Nest.
 *
 * Checks, in this order: 415 (not application/json, or a compressed body), 413 (over server.bodyLimit), 404 (unknown endpoint),
 * 401 (signature missing or wrong, over the raw bytes), 400 (envelope, X-Webhook-Event, age), 503 (the store
 * cannot write, or shutting down), 200 once the event and its deliveries are durable.
 */
@Injectable()
export class WebhookReceiver implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  /** Shutdown began (`bridge.stopping`): every webhook is refused with 503 from now on. */
  private stopping = false;
  private readonly subscriptions = new Subscriptions();

  constructor(
    private readonly config: BridgeConfigService,
    private readonly keyring: KeyringService,
    private readonly ingress: IngressService,
    private readonly metrics: MetricsService,
    private readonly events: DomainEvents,
    private readonly answers: AnswerCounter,
  ) {}

  onModuleInit(): void {
    this.subscriptions.add(this.events.on('bridge.stopping', WebhookReceiver.name, () => (this.stopping = true)));
  }

  onModuleDestroy(): void {
    this.subscriptions.unsubscribe();
  }

  /** Takes the request when it is a webhook (and answers it); false leaves it to the rest of the app. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST') return false;
    const endpoint = endpointOf(req.url ?? '');
    if (endpoint === undefined) return false;
    this.receive(req, res, endpoint).catch((error) => this.fail(res, error, undefined));
    return true;
  }

  private async receive(req: IncomingMessage, res: ServerResponse, endpoint: string | null): Promise<void> {
    // Shutting down: JoggAI retries a 503 (reaching another instance or our next start); closing the
    // connection lets the server's close finish.
    if (this.stopping) return this.refuse(res, 503, 'unavailable', 'shutting down, retry later', true, { 'retry-after': '5' });
    const type = req.headers['content-type'];
    const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
    if (type === undefined ? hasBody : !isJson(type)) {
      return this.refuse(res, 415, 'unsupported_media_type', `content type must be application/json, not ${type === undefined ? 'missing' : JSON.stringify(type.slice(0, 100))}`, true);
    }
    // JoggAI signs and sends the body as it is: a compressed one (a proxy's gzip) could be neither verified nor read
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && !encoding.split(',').every((coding) => ['', 'identity'].includes(coding.trim().toLowerCase()))) {
      return this.refuse(res, 415, 'unsupported_media_type', `content encoding ${JSON.stringify(encoding.slice(0, 100))} is not supported: send the body uncompressed`, true);
    }
    const limit = this.config.current.server.bodyLimit;
    const raw = await readBody(req, limit);
    if (raw === undefined) return this.refuse(res, 413, 'too_large', `body is larger than ${limit} bytes`, true);
    if (raw === null) return; // the client went away
    const secrets = this.keyring.secretsFor(endpoint);
    if (!secrets) return this.refuse(res, 404, 'unknown_endpoint', `unknown endpoint "${endpoint}"`);
    const signature = req.headers['x-webhook-signature'];
    if (signature === undefined) return this.refuse(res, 401, 'bad_signature', 'missing X-Webhook-Signature');
    if (!verifySignature(raw, typeof signature === 'string' ? signature : undefined, secrets) && !(await this.verifyAfterRefresh(raw, signature, endpoint))) {
      return this.refuse(res, 401, 'bad_signature', 'invalid signature');
    }
    let text, envelope;
    try {
      text = decodeBody(raw);
      envelope = parseEnvelope(text, req.headers['x-webhook-event']);
    } catch (error) {
      if (error instanceof EnvelopeError) return this.refuse(res, 400, 'malformed', error.message);
      throw error;
    }
    let result: IngressResult;
    try {
      result = await this.ingress.accept({ envelope, raw, text }, endpoint);
    } catch (error) {
      return this.fail(res, error, envelope.event);
    }
    this.answer(res, result, envelope.event);
  }

  /** The HTTP answer to what the ingress made of the webhook. */
  private answer(res: ServerResponse, result: IngressResult, event: string): void {
    switch (result.status) {
      case 'accepted':
      case 'duplicate':
        this.counted(event, result.status);
        return send(res, 200, {}, result);
      case 'stale':
        this.counted(event, 'stale');
        return send(res, 400, this.closing(), errorBody(400, result.reason));
      case 'unavailable':
        this.counted(event, 'unavailable');
        return this.sendAnswer(res, storeUnavailableAnswer(result.reason, this.logger));
    }
  }

  /** Every answer is counted twice: the Prometheus counter, and the stored per-minute counts the console shows. */
  private counted(event: string | undefined, outcome: WebhookOutcome): void {
    this.metrics.webhook(event, outcome);
    this.answers.count(outcome);
  }

  /** A miss may be a secret captured a moment ago by another process: once more with the secrets re-read. */
  private async verifyAfterRefresh(raw: Buffer, signature: string | string[], endpoint: string | null): Promise<boolean> {
    if (typeof signature !== 'string' || !/^[0-9a-fA-F]{64}$/.test(signature)) return false; // no secret can match it
    if (!(await this.keyring.refreshAfterMiss())) return false;
    return verifySignature(raw, signature, this.keyring.secretsFor(endpoint) ?? []);
  }

  /** A refusal with its short reason; `close` when the rest of a body we did not read is not worth reading. */
  private refuse(res: ServerResponse, status: number, outcome: WebhookOutcome, message: string, close = false, headers: Record<string, string> = {}): void {
    this.counted(undefined, outcome);
    send(res, status, close ? { connection: 'close', ...headers } : headers, errorBody(status, message));
  }

  /** An error no result foresaw (a bug, or a fault while reading the request): 500 with an error id, or 503. */
  private fail(res: ServerResponse, error: unknown, event: string | undefined): void {
    const answer = answerFor(error, this.logger);
    this.counted(event, answer.status === 503 ? 'unavailable' : 'malformed');
    this.sendAnswer(res, answer);
  }

  private sendAnswer(res: ServerResponse, answer: ErrorAnswer): void {
    if (!res.headersSent) send(res, answer.status, { ...answer.headers, ...this.closing() }, answer.body);
  }

  /** While shutting down, answers close their connection (so the server's close can finish). */
  private closing(): Record<string, string> {
    return this.stopping ? { connection: 'close' } : {};
  }
}

/** `null` for /webhooks/jogg, the endpoint name for /webhooks/jogg/<name>, undefined for any other path. */
export function endpointOf(url: string): string | null | undefined {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  if (path === PREFIX) return null;
  if (!path.startsWith(`${PREFIX}/`)) return undefined;
  const name = path.slice(PREFIX.length + 1);
  if (!name || name.includes('/')) return undefined;
  try {
    return decodeURIComponent(name);
  } catch {
    return undefined;
  }
}

function isJson(type: string): boolean {
  const semicolon = type.indexOf(';');
  return (semicolon === -1 ? type : type.slice(0, semicolon)).trim().toLowerCase() === 'application/json';
}

/** The body, or undefined when it is over the limit, or null when the client went away before sending it all. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined | null> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    // after 'end' these change nothing (a promise settles once); before it, the client went away
    req.on('close', () => resolve(null));
    req.on('error', () => resolve(null));
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: object): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}
