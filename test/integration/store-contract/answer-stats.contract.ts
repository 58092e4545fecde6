import { OpenStore, useStore } from './harness';

const MIN = 60_000;

/** What every AnswerStats and EndpointSyncLog adapter must do; each engine's spec runs it. */
export function answerStatsContract(engine: string, open: OpenStore): void {
  describe(`AnswerStats contract: ${engine}`, () => {
    const s = useStore(open);

    it('adds counts to what is stored per minute and outcome (flushes and instances add up), and totals them since a time', async () => {
      await s.answers.addAnswerCounts([
        { minute: 10 * MIN, outcome: 'accepted', count: 3 },
        { minute: 10 * MIN, outcome: 'bad_signature', count: 1000 },
        { minute: 11 * MIN, outcome: 'accepted', count: 2 },
      ]);
      // a second flush (or another instance) for the same minute
      await s.answers.addAnswerCounts([{ minute: 11 * MIN, outcome: 'accepted', count: 5 }, { minute: 11 * MIN, outcome: 'duplicate', count: 1 }]);
      expect(await s.answers.answerTotals(0)).toEqual([
        { outcome: 'accepted', count: 10 }, { outcome: 'bad_signature', count: 1000 }, { outcome: 'duplicate', count: 1 },
      ]);
      expect(await s.answers.answerTotals(11 * MIN)).toEqual([{ outcome: 'accepted', count: 7 }, { outcome: 'duplicate', count: 1 }]);
      expect(await s.answers.answerTotals(12 * MIN)).toEqual([]);
      // per 15 minutes (minutes 10 and 11 are both in bucket 0), and per minute
      expect(await s.answers.answerSeries(0, 15 * MIN)).toEqual([
        { bucket: 0, outcome: 'accepted', count: 10 }, { bucket: 0, outcome: 'bad_signature', count: 1000 }, { bucket: 0, outcome: 'duplicate', count: 1 },
      ]);
      expect(await s.answers.answerSeries(11 * MIN, MIN)).toEqual([{ bucket: 11, outcome: 'accepted', count: 7 }, { bucket: 11, outcome: 'duplicate', count: 1 }]);
    });

    it('keeps its counts across a reopen, and purges minutes before a time', async () => {
      await s.answers.addAnswerCounts([{ minute: 1 * MIN, outcome: 'stale', count: 2 }, { minute: 5 * MIN, outcome: 'stale', count: 3 }]);
      await s.reopen();
      expect(await s.answers.answerTotals(0)).toEqual([{ outcome: 'stale', count: 5 }]);
      expect(await s.answers.purgeAnswerCounts(5 * MIN)).toBe(1);
      expect(await s.answers.answerTotals(0)).toEqual([{ outcome: 'stale', count: 3 }]);
    });

    it('takes an empty flush without writing', async () => {
      await s.answers.addAnswerCounts([]);
      expect(await s.answers.answerTotals(0)).toEqual([]);
    });
  });

  describe(`EndpointSyncLog contract: ${engine}`, () => {
    const s = useStore(open);

    it('keeps the last result per endpoint, with the time of its last success through later failures', async () => {
      await s.syncLog.recordSync([
        { endpoint: 'videos', result: 'created', at: 1_000, error: null },
        { endpoint: 'images', result: 'failed', at: 1_000, error: 'JoggAI answered 500' },
      ]);
      await s.syncLog.recordSync([{ endpoint: 'videos', result: 'failed', at: 2_000, error: 'timeout' }]);
      expect(await s.syncLog.listSync()).toEqual([
        { endpoint: 'images', result: 'failed', at: 1_000, error: 'JoggAI answered 500', lastOkAt: null },
        { endpoint: 'videos', result: 'failed', at: 2_000, error: 'timeout', lastOkAt: 1_000 },
      ]);
      await s.syncLog.recordSync([{ endpoint: 'videos', result: 'in_sync', at: 3_000, error: null }, { endpoint: 'images', result: 'updated', at: 3_000, error: null }]);
      await s.reopen();
      expect(await s.syncLog.listSync()).toEqual([
        { endpoint: 'images', result: 'updated', at: 3_000, error: null, lastOkAt: 3_000 },
        { endpoint: 'videos', result: 'in_sync', at: 3_000, error: null, lastOkAt: 3_000 },
      ]);
    });
  });
}
