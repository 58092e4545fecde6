import { FastifyInstance, FastifyRequest } from 'fastify';
import { MetricsService, WebhookOutcome } from './metrics.service';

const EVENT = Symbol('jogg-event');

/** Called once the body is parsed, so the webhook counter can carry the event name. */
export function rememberEvent(request: FastifyRequest, event: string): void {
  (request as unknown as Record<symbol, string>)[EVENT] = event;
}

const BY_STATUS: Record<number, WebhookOutcome> = {
  401: 'bad_signature', 404: 'unknown_endpoint', 413: 'too_large', 415: 'unsupported_media_type', 503: 'unavailable',
};

/** Counts every answer to a webhook, whichever layer gave it (Fastify's 413/415 included). */
export function countWebhooks(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'POST' || !request.url.startsWith('/webhooks/jogg')) return payload;
    const text = typeof payload === 'string' ? payload : '';
    const event = (request as unknown as Record<symbol, string | undefined>)[EVENT];
    metrics.webhook(event, outcomeOf(reply.statusCode, text));
    return payload;
  });
}

function outcomeOf(status: number, body: string): WebhookOutcome {
  if (status === 200) return body.includes('"status":"duplicate"') ? 'duplicate' : 'accepted';
  if (status === 400) return /older than|in the future/.test(body) ? 'stale' : 'malformed';
  return BY_STATUS[status] ?? 'malformed';
}
