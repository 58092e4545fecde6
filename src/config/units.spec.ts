import { interpolate, InterpolationError } from './interpolate';
import { formatDuration, parseDuration, parseSize } from '../common/units';

describe('units', () => {
  it.each([
    ['500ms', 500], ['30s', 30_000], ['10m', 600_000], ['72h', 259_200_000], ['7d', 604_800_000], ['1h30m', 5_400_000],
    ['1.5s', 1500], [250, 250], ['', undefined], ['10', undefined], ['5 minutes', undefined], [-1, undefined], [null, undefined],
  ])('duration %p is %p ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([['1mb', 1_048_576], ['512kb', 524_288], ['2MiB', 2_097_152], [1000, 1000], ['1 mb', 1_048_576], ['0', undefined], ['1tb', undefined]])(
    'size %p is %p bytes', (text, bytes) => {
      expect(parseSize(text)).toBe(bytes);
    },
  );

  it('formats durations in the largest whole unit', () => {
    expect([259_200_000, 300_000, 1500, 90_000].map(formatDuration)).toEqual(['3d', '5m', '1500ms', '90s']);
  });
});

describe('interpolation', () => {
  const env = { SET: 'value', EMPTY: '' };
  it.each([
    ['${SET}', 'value'],
    ['pre-${SET}-post', 'pre-value-post'],
    ['${UNSET:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY}', ''],
    ['${UNSET:-}', ''],
    ['$${SET}', '${SET}'],
    ['no references', 'no references'],
  ])('%s becomes %p', (text, expected) => {
    expect(interpolate(text, env)).toBe(expected);
  });

  it('refuses an unset variable without a default, and malformed references', () => {
    expect(() => interpolate('${UNSET}', env)).toThrow(new InterpolationError('environment variable UNSET is not set (write ${UNSET:-} to allow it to be empty)'));
    expect(() => interpolate('${1BAD}', env)).toThrow('bad ${...} reference');
    expect(() => interpolate('${OPEN', env)).toThrow('bad ${...} reference');
  });
});
