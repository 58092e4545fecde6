import { newSilence } from './silence-input';
import { formatMatcher, MatcherError, parseMatcher, silenceFor } from './silence-match';

const envelope = { event: 'generated_video_failed', timestamp: 1, data: { error: { code: 18020 } } };
const target = { envelope, route: 'failures', sink: 'ops-channel' };

describe('silence matchers', () => {
  it('parses =, != and =~ on event fields, route and sink', () => {
    expect(parseMatcher('data.error.code=18020')).toEqual({ field: 'data.error.code', op: '=', value: '18020' });
    expect(parseMatcher(' sink =~ ops-.* ')).toEqual({ field: 'sink', op: '=~', value: 'ops-.*' });
    expect(formatMatcher(parseMatcher('event!=x'))).toBe('event!=x');
    expect(() => parseMatcher('event')).toThrow(MatcherError);
    expect(() => parseMatcher('da ta=1')).toThrow('"da ta" is not a field');
    expect(() => parseMatcher('event=~[')).toThrow('is not a regular expression');
  });

  it('refuses a field no event or delivery has (a typo would silence nothing, or with != everything)', () => {
    for (const field of ['event_id', 'timestamp', 'data.video_id', 'route', 'sink']) expect(parseMatcher(`${field}=x`).field).toBe(field);
    for (const field of ['evnt', 'error.code', 'event.name', 'sink.name', 'endpoint', 'data']) {
      expect(() => parseMatcher(`${field}!=x`)).toThrow(`"${field}" is no field of an event or delivery`);
    }
  });

  it('silences a delivery only while active and when every matcher holds', () => {
    const silence = { id: 3, ...newSilence({ matchers: ['event=generated_video_failed', 'data.error.code=18020', 'sink=~ops-.*'], for: '2h', comment: 'credits' }, 1_000), createdAt: 1_000 };
    expect(silenceFor([silence], target, 1_000)?.id).toBe(3);
    expect(silenceFor([silence], target, 999)).toBeUndefined();
    expect(silenceFor([silence], target, 1_000 + 7_200_000)).toBeUndefined();
    expect(silenceFor([silence], { ...target, sink: 'email' }, 2_000)).toBeUndefined();
    expect(silenceFor([silence], { ...target, envelope: { ...envelope, data: { error: { code: 50000 } } } }, 2_000)).toBeUndefined();
    const not = { ...silence, matchers: [parseMatcher('data.error.code!=18020')] };
    expect(silenceFor([not], target, 2_000)).toBeUndefined();
    // the regular expression is anchored: "ops" does not silence "devops-x"
    expect(silenceFor([{ ...silence, matchers: [parseMatcher('sink=~ops.*')] }], { ...target, sink: 'devops-x' }, 2_000)).toBeUndefined();
  });

  it('needs a duration or an end in the future, and a comment', () => {
    expect(newSilence({ matchers: ['event=x'], until: '2026-12-01T00:00:00Z', comment: ' why ' }, Date.UTC(2026, 10, 30))).toMatchObject({ endsAt: Date.UTC(2026, 11, 1), comment: 'why', createdBy: null });
    expect(() => newSilence({ matchers: ['event=x'], until: '2020-01-01', comment: 'x' }, Date.UTC(2026, 10, 30))).toThrow('until is in the past');
    expect(() => newSilence({ matchers: ['event=x'], for: '2h', until: '2027-01-01', comment: 'x' }, 0)).toThrow('either for (2h) or until (a date), not both');
    expect(() => newSilence({ matchers: ['event=x'], comment: 'x' }, 0)).toThrow('give how long the silence lasts');
    expect(() => newSilence({ matchers: ['event=x'], for: '99999d', comment: 'x' }, 0)).toThrow('at most a year');
    expect(() => newSilence({ matchers: ['event=x'], for: '7200', comment: 'x' }, 0)).toThrow('for takes a duration');
  });

  it('names every bad matcher at once', () => {
    expect(() => newSilence({ matchers: ['evnt=x', 'event=ok', 'endpoint=y'], for: '2h', comment: 'x' }, 0)).toThrow(
      /^"evnt" is no field of an event or delivery .*; "endpoint" is no field of an event or delivery /,
    );
  });

  it('takes a comment of one line within 2,000 characters, and so a "created by"', () => {
    expect(() => newSilence({ matchers: ['event=x'], for: '2h', comment: 'x'.repeat(2001) }, 0)).toThrow('longer than 2000 characters');
    expect(() => newSilence({ matchers: ['event=x'], for: '2h', comment: 'a\u001b[31mred' }, 0)).toThrow('one line of text, without control characters');
    expect(() => newSilence({ matchers: ['event=x'], for: '2h', comment: 'two\nlines' }, 0)).toThrow('without control characters');
    expect(() => newSilence({ matchers: ['event=x'], for: '2h', comment: 'ok', createdBy: 'me\u0007' }, 0)).toThrow('created by must be one line');
    expect(newSilence({ matchers: ['event=x'], for: '2h', comment: 'x'.repeat(2000) }, 0).comment).toHaveLength(2000);
  });
});
