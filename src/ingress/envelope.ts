import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { JoggEnvelope } from '../common/jogg-event';
import { MAX_DEPTH, scanJson } from './json-scan';

export class EnvelopeError extends Error {}

/** Longest `event` and `event_id` accepted (JoggAI's are under 40 characters). */
export const MAX_NAME = 200;

/** A verified webhook, parsed: the envelope, the exact bytes it came from, and those bytes as text. */
export interface ReceivedWebhook {
  envelope: JoggEnvelope;
  raw: Buffer;
  text: string;
}

/**
 * C0 and C1 controls, DEL, the Unicode line and paragraph separators, and lone surrogates: none belongs in
 * an event name or id (JoggAI's are snake_case ASCII), and each would break a header, a log line or a glob.
 */
const UNFIT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The body as text; refused unless it is valid UTF-8, as the body is forwarded exactly as sent. */
export function decodeBody(raw: Buffer): string {
  if (!isUtf8(raw)) throw new EnvelopeError('body is not valid UTF-8');
  return raw.toString('utf8');
}

/**
 * Parses and checks the envelope `{event_id?, event, timestamp, data}`. The header `X-Webhook-Event`,
 * when sent, must name the same event as the body. Also refused: nesting deeper than MAX_DEPTH, a repeated
 * envelope key, control characters in `event` or `event_id`. Throws EnvelopeError with a short reason.
 */
export function parseEnvelope(raw: Buffer | string, headerEvent?: string | string[]): JoggEnvelope {
  const text = typeof raw === 'string' ? raw : decodeBody(raw);
  const shape = scanJson(text);
  if (shape.tooDeep) throw new EnvelopeError(`body is nested deeper than ${MAX_DEPTH} levels`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new EnvelopeError('body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new EnvelopeError('body must be a JSON object');
  if (shape.duplicate) throw new EnvelopeError(`duplicate key "${shape.duplicate}"`);
  const { event, timestamp, data, event_id: eventId } = body as Record<string, unknown>;
  if (typeof event !== 'string' || event.length === 0) throw new EnvelopeError('"event" must be a non-empty string');
  if (event.length > MAX_NAME) throw new EnvelopeError(`"event" must be at most ${MAX_NAME} characters`);
  if (UNFIT.test(event)) throw new EnvelopeError('"event" must not contain control characters or line separators');
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new EnvelopeError('"timestamp" must be an integer (Unix seconds)');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new EnvelopeError('"data" must be an object');
  if (eventId !== undefined && (typeof eventId !== 'string' || eventId.length === 0)) {
    throw new EnvelopeError('"event_id" must be a non-empty string when present');
  }
  if (eventId !== undefined && eventId.length > MAX_NAME) throw new EnvelopeError(`"event_id" must be at most ${MAX_NAME} characters`);
  if (eventId !== undefined && UNFIT.test(eventId)) throw new EnvelopeError('"event_id" must not contain control characters or line separators');
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
