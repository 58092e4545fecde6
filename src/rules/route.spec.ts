import fc from 'fast-check';
import { JoggEnvelope } from '../common/jogg-event';
import { compileWhere } from './condition';
import { compileGlob, RuleError } from './glob';
import { compileRoutes, matchRoutes, RouteDefinition } from './route';

const event = (name: string, data: Record<string, unknown> = {}): JoggEnvelope => ({ event: name, timestamp: 1, data });

describe('event globs', () => {
  it.each([
    ['*', 'generated_video_success', true],
    ['*_failed', 'generated_video_failed', true],
    ['*_failed', 'generated_video_success', false],
    ['generated_*_video_success', 'generated_avatar_video_success', true],
    ['generated_*_video_success', 'generated_video_success', false],
    ['generated_video_success', 'generated_video_success', true],
    ['generated_video_success', 'xgenerated_video_success', false],
    ['create_avatar_?ailed', 'create_avatar_failed', true],
    ['a.b', 'aXb', false],
  ])('%s against %s is %s', (glob, name, expected) => {
    expect(compileGlob(glob).test(name)).toBe(expected);
  });

  it.each(['a\nb', 'a\rb', 'a\u2028b', 'a\u2029b', '\n'])('wildcards match any character, line terminators included: %p', (name) => {
    expect(compileGlob('*').test(name)).toBe(true);
    expect(compileGlob('a?b').test('a\u2028b')).toBe(true);
  });

  it.each(['', 'bad glob', 'a**', 'a[b]', 'x/y', 'a'.repeat(201)])('refuses %p', (glob) => {
    expect(() => compileGlob(glob)).toThrow(RuleError);
  });

  it('answers a pattern that would make a regular expression backtrack for minutes (a typo in the console is enough)', () => {
    const hostile = `${'*?'.repeat(99)}x`;
    expect(compileGlob(hostile).test('a'.repeat(200))).toBe(false);
    expect(compileGlob(hostile).test(`${'a'.repeat(199)}x`)).toBe(true);
  });

  it('matches exactly as the anchored regular expression of the glob would, on any pattern and name', () => {
    const letter = fc.constantFrom('a', 'b', '_');
    const pattern = fc.array(fc.constantFrom('a', 'b', '_', '*', '?'), { minLength: 1, maxLength: 8 }).map((cs) => cs.join('')).filter((p) => !p.includes('**'));
    const name = fc.array(letter, { maxLength: 10 }).map((cs) => cs.join(''));
    fc.assert(fc.property(pattern, name, (p, n) => {
      const reference = new RegExp(`^${p.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
      expect(compileGlob(p).test(n)).toBe(reference.test(n));
    }), { numRuns: 2000 });
  });
});

describe('where conditions', () => {
  const payload = event('e', { status: 'failed', duration: 12.5, tags: ['x'], error: { code: 50000 } });
  it.each([
    [{ 'data.status': 'failed' }, true],
    [{ 'data.status': { eq: 'failed' } }, true],
    [{ 'data.status': { ne: 'failed' } }, false],
    [{ 'data.status': ['completed', 'failed'] }, true],
    [{ 'data.status': { in: ['completed'] } }, false],
    [{ 'data.duration': { gt: 12, lte: 12.5 } }, true],
    [{ 'data.duration': { gte: 13 } }, false],
    [{ 'data.duration': { lt: 13 } }, true],
    [{ 'data.status': { gt: 1 } }, false],
    [{ 'data.error.code': 50000 }, true],
    [{ 'data.video_id': { exists: false } }, true],
    [{ 'data.error': { exists: true } }, true],
    [{ 'data.status': { regex: '^fail' } }, true],
    [{ 'data.duration': { regex: '12' } }, false],
    [{ 'data.tags': { eq: ['x'] } }, true],
    [{ 'data.status': 'failed', 'data.duration': { gt: 100 } }, false],
    [{ 'data.constructor': { exists: true } }, false],
  ])('%j is %s', (where, expected) => {
    expect(compileWhere(where)(payload)).toBe(expected);
  });

  it('reports every bad condition with its path', () => {
    const problems: RuleError[] = [];
    compileWhere({ 'data.a': { regex: '(' }, 'data.b': { gt: 'x' }, 'data c': 1, 'data.d': { near: 1 } }, (e) => problems.push(e));
    expect(problems.map((p) => p.path)).toEqual([['data.a', 'regex'], ['data.b', 'gt'], ['data c'], ['data.d', 'near']]);
  });
});

describe('routes', () => {
  const def = (name: string, events: string[], more: Partial<RouteDefinition> = {}): RouteDefinition => ({
    name, match: { events }, to: ['file'], continue: true, overrides: {}, ...more,
  });

  it('fans out to every matching route in order', () => {
    const { routes } = compileRoutes([def('all', ['*']), def('failures', ['*_failed']), def('videos', ['generated_video_*'])], new Set(['file']));
    expect(matchRoutes(routes, event('generated_video_failed')).map((r) => r.name)).toEqual(['all', 'failures', 'videos']);
    expect(matchRoutes(routes, event('generated_image_success')).map((r) => r.name)).toEqual(['all']);
    expect(matchRoutes(routes, event('brand_new_event_failed')).map((r) => r.name)).toEqual(['all', 'failures']);
  });

  it('stops after a matching route that says continue: false', () => {
    const { routes } = compileRoutes(
      [def('failures', ['*_failed'], { continue: false }), def('all', ['*'])],
      new Set(['file']),
    );
    expect(matchRoutes(routes, event('generated_video_failed')).map((r) => r.name)).toEqual(['failures']);
    expect(matchRoutes(routes, event('generated_video_success')).map((r) => r.name)).toEqual(['all']);
  });

  it('matches nothing when no route applies (the event is stored as unrouted)', () => {
    const { routes } = compileRoutes([def('failures', ['*_failed'])], new Set(['file']));
    expect(matchRoutes(routes, event('generated_video_success'))).toEqual([]);
  });

  it('collects every problem: unknown sinks with a suggestion, duplicate names, bad globs and templates', () => {
    const { problems } = compileRoutes(
      [
        def('a', ['ok', 'bad glob'], { to: ['fiel', 'file'] }),
        def('a', ['*'], { overrides: { http: { body: '{{#x}}' } }, match: { events: ['*'], where: { 'data.x': { regex: '[' } } } }),
      ],
      new Set(['file']),
    );
    expect(problems).toEqual([
      { path: [0, 'to', 0], message: 'unknown sink "fiel" (did you mean "file"?)' },
      { path: [0, 'match', 'events', 1], message: expect.stringContaining('bad event pattern') },
      { path: [1, 'name'], message: 'duplicate route name "a"' },
      { path: [1, 'match', 'where', 'data.x', 'regex'], message: expect.stringContaining('bad regex') },
      { path: [1, 'http', 'body'], message: expect.stringContaining('"{{#x}}" is the old section syntax: write {% if x %}') },
    ]);
  });
});
