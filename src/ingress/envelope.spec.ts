import { createHash } from 'node:crypto';
import { dedupeKey, EnvelopeError, parseEnvelope } from './envelope';

const raw = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const good = { event_id: 'e1', event: 'generated_video_success', timestamp: 1764115200, data: { video_id: 'v' } };

describe('parseEnvelope', () => {
  it('accepts the documented envelope, with and without event_id, and extra fields', () => {
    expect(parseEnvelope(raw(good))).toEqual(good);
    const { event_id: _, ...noId } = good;
    expect(parseEnvelope(raw({ ...noId, extra: true }))).toMatchObject(noId);
  });

  it.each([
    ['not JSON', '{"event":', 'body is not valid JSON'],
    ['an array', '[]', 'body must be a JSON object'],
    ['no event', { ...good, event: undefined }, '"event" must be a non-empty string'],
    ['empty event', { ...good, event: '' }, '"event" must be a non-empty string'],
    ['string timestamp', { ...good, timestamp: '1764115200' }, '"timestamp" must be an integer'],
    ['fractional timestamp', { ...good, timestamp: 1.5 }, '"timestamp" must be an integer'],
    ['data array', { ...good, data: [] }, '"data" must be an object'],
    ['data missing', { ...good, data: undefined }, '"data" must be an object'],
    ['numeric event_id', { ...good, event_id: 7 }, '"event_id" must be a non-empty string'],
  ])('rejects %s', (_name, body, reason) => {
    expect(() => parseEnvelope(raw(body))).toThrow(EnvelopeError);
    expect(() => parseEnvelope(raw(body))).toThrow(reason);
  });

  it('requires X-Webhook-Event, when present, to name the body event', () => {
    expect(parseEnvelope(raw(good), 'generated_video_success').event).toBe('generated_video_success');
    expect(() => parseEnvelope(raw(good), 'generated_video_failed')).toThrow('X-Webhook-Event');
    expect(() => parseEnvelope(raw(good), ['a', 'b'])).toThrow('X-Webhook-Event');
  });
});

describe('dedupeKey', () => {
  it('uses event_id when present', () => {
    expect(dedupeKey(good, raw(good))).toBe('id:e1');
  });

  it('falls back to the SHA-256 of the raw body, so re-serialising does not matter but bytes do', () => {
    const { event_id: _, ...noId } = good;
    const bytes = raw(noId);
    expect(dedupeKey(noId, bytes)).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
    expect(dedupeKey(noId, Buffer.from(JSON.stringify(noId, null, 2)))).not.toBe(dedupeKey(noId, bytes));
  });
});
