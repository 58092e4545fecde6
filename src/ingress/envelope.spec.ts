import { createHash } from 'node:crypto';
import { decodeBody, dedupeKey, EnvelopeError, parseEnvelope } from './envelope';
import { MAX_DEPTH } from './json-scan';

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

  it.each([
    ['a line feed', 'video\nfailed'], ['a carriage return', 'a\rb'], ['NUL', 'a\u0000'], ['DEL', 'a\u007f'],
    ['a C1 control', 'a\u0085b'], ['U+2028', 'a\u2028b'], ['U+2029', 'a\u2029b'], ['a lone surrogate', 'a\ud800b'],
  ])('refuses %s in "event" and "event_id"', (_name, bad) => {
    expect(() => parseEnvelope(raw({ ...good, event: bad }))).toThrow('"event" must not contain control characters or line separators');
    expect(() => parseEnvelope(raw({ ...good, event_id: bad }))).toThrow('"event_id" must not contain control characters or line separators');
  });

  it('accepts non-ASCII printable names (they are encoded where they leave the bridge)', () => {
    expect(parseEnvelope(raw({ ...good, event: '视频_failed 😀' })).event).toBe('视频_failed 😀');
  });

  it.each(['event', 'event_id', 'timestamp', 'data'])('refuses a repeated top-level "%s", even when spelled with escapes', (key) => {
    const body = JSON.stringify(good).slice(0, -1);
    const value = JSON.stringify((good as Record<string, unknown>)[key]);
    expect(() => parseEnvelope(`${body},"${key}":${value}}`)).toThrow(`duplicate key "${key}"`);
    const escaped = key.replace('e', '\\u0065');
    expect(() => parseEnvelope(`${body},"${escaped}":${value}}`)).toThrow(`duplicate key "${key}"`);
  });

  it('allows repeated keys elsewhere: inside data, and keys that only look alike inside strings', () => {
    const tricky = JSON.stringify({ s: '\\",\"event\":' }).slice(1, -1); // a value holding a backslash and `"event":`
    const text = `{"event":"x","timestamp":1,"data":{"event":1,"event":2,${tricky}},"note":"\\\\","x":"\\",\\"event\\":1"}`;
    expect(parseEnvelope(text)).toMatchObject({ event: 'x', data: { event: 2 } });
  });

  it(`refuses nesting deeper than ${MAX_DEPTH} levels, without using the stack, and accepts ${MAX_DEPTH}`, () => {
    const nested = (levels: number) => `{"event":"x","timestamp":1,"data":{"a":${'['.repeat(levels - 2)}${']'.repeat(levels - 2)}}}`;
    expect(() => parseEnvelope(nested(MAX_DEPTH))).not.toThrow();
    expect(() => parseEnvelope(nested(MAX_DEPTH + 1))).toThrow(`body is nested deeper than ${MAX_DEPTH} levels`);
    expect(() => parseEnvelope(nested(1_000_000))).toThrow(`body is nested deeper than ${MAX_DEPTH} levels`);
  });

  it('refuses invalid UTF-8 rather than forwarding U+FFFD', () => {
    const invalid = Buffer.concat([Buffer.from('{"event":"x","timestamp":1,"data":{"s":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}')]);
    expect(() => decodeBody(invalid)).toThrow('body is not valid UTF-8');
    expect(() => parseEnvelope(invalid)).toThrow('body is not valid UTF-8');
    expect(decodeBody(Buffer.from('{"s":"视频"}'))).toBe('{"s":"视频"}');
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
