import { Clock } from '../common/clock';
import { AnswerCount, AnswerStats } from '../store/ports/answer-stats';
import { AnswerCounter } from './answer-counter';

/** A store that records what it is given, and refuses while `down`. */
class RecordingStats extends AnswerStats {
  flushes: AnswerCount[][] = [];
  down = false;
  async addAnswerCounts(counts: readonly AnswerCount[]): Promise<void> {
    if (this.down) throw new Error('store is down');
    this.flushes.push([...counts]);
  }
  async answerTotals(): Promise<{ outcome: string; count: number }[]> {
    return [];
  }
  async answerSeries(): Promise<{ bucket: number; outcome: string; count: number }[]> {
    return [];
  }
  async purgeAnswerCounts(): Promise<number> {
    return 0;
  }
}

class TestClock extends Clock {
  at = 10 * 60_000 + 5_000;
  override now(): number {
    return this.at;
  }
}

describe('AnswerCounter', () => {
  it('adds up answers per minute and outcome, and stores one row for each at a flush', async () => {
    const stats = new RecordingStats();
    const clock = new TestClock();
    const counter = new AnswerCounter(stats, clock);
    for (let i = 0; i < 1000; i++) counter.count('bad_signature');
    counter.count('accepted');
    clock.at += 60_000;
    counter.count('accepted');
    await counter.flush();
    expect(stats.flushes).toEqual([[
      { minute: 10 * 60_000, outcome: 'bad_signature', count: 1000 },
      { minute: 10 * 60_000, outcome: 'accepted', count: 1 },
      { minute: 11 * 60_000, outcome: 'accepted', count: 1 },
    ]]);
    await counter.flush(); // nothing new: no write
    expect(stats.flushes).toHaveLength(1);
  });

  it('keeps what the store refused and stores it with the next counts', async () => {
    const stats = new RecordingStats();
    const counter = new AnswerCounter(stats, new TestClock());
    counter.count('duplicate');
    stats.down = true;
    await counter.flush();
    counter.count('duplicate');
    stats.down = false;
    await counter.flush();
    expect(stats.flushes).toEqual([[{ minute: 10 * 60_000, outcome: 'duplicate', count: 2 }]]);
  });

  it('stores what is left before shutdown', async () => {
    const stats = new RecordingStats();
    const counter = new AnswerCounter(stats, new TestClock());
    counter.onApplicationBootstrap();
    counter.count('unavailable');
    await counter.beforeApplicationShutdown();
    expect(stats.flushes).toEqual([[{ minute: 10 * 60_000, outcome: 'unavailable', count: 1 }]]);
  });
});
