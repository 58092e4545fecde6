import { createHash } from 'node:crypto';
import { JoggEnvelope } from '../common/jogg-event';

export class EnvelopeError extends Error {}

/** A verified webhook, parsed: the envelope, the exact bytes it came from, and those bytes as text. */
export interface ReceivedWebhook {
  envelope: JoggEnvelope;
  raw: Buffer;
  text: string;
}

/**
 * Parses and checks the envelope `{event_id?, event, timestamp, data}`. The header `X-Webhook-Event`,
 * when sent, must name the same event as the body. Throws EnvelopeError with a short reason.
 */
export function parseEnvelope(raw: Buffer | string, headerEvent?: string | string[]): JoggEnvelope {
  let body: unknown;
  try {
    body = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    throw new EnvelopeError('body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new EnvelopeError('body must be a JSON object');
  const { event, timestamp, data, event_id: eventId } = body as Record<string, unknown>;
  if (typeof event !== 'string' || event.length === 0 || event.length > 200) {
    throw new EnvelopeError('"event" must be a non-empty string');
  }
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new EnvelopeError('"timestamp" must be an integer (Unix seconds)');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new EnvelopeError('"data" must be an object');
  if (eventId !== undefined && (typeof eventId !== 'string' || eventId.length === 0 || eventId.length > 200)) {
    throw new EnvelopeError('"event_id" must be a non-empty string when present');
  }
  if (headerEvent !== undefined && headerEvent !== event) {
    throw new EnvelopeError('X-Webhook-Event header does not match the body\'s "event"');
  }
  return body as JoggEnvelope;
}

/** `event_id` when JoggAI sent one, else the SHA-256 of the raw body (script, image and motion events have none). */
export function dedupeKey(envelope: JoggEnvelope, raw: Buffer): string {
  if (envelope.event_id !== undefined) return `id:${envelope.event_id}`;
  return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}
