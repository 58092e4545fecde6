import { RepeatedLog } from './repeated-log';

describe('RepeatedLog', () => {
  it('writes the first line, then at most one per period, saying how many were held back', () => {
    const log = new RepeatedLog(60_000);
    const written: [number, number][] = [];
    for (const at of [0, 1_000, 30_000, 59_999, 60_000, 61_000, 200_000]) log.write(at, (held) => written.push([at, held]));
    expect(written).toEqual([[0, 0], [60_000, 3], [200_000, 1]]);
  });
});
