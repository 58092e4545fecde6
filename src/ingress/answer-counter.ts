import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AnswerStats } from '../store/ports/answer-stats';

const FLUSH_MS = 10_000;
const MINUTE = 60_000;
/** Counts kept while the store cannot take them (per minute and outcome); beyond, the oldest minutes go. */
const MAX_HELD_KEYS = 20_000;

/**
 * Webhook answers per minute and outcome, counted in memory and added to the store every 10 s and at shutdown
 * (one upsert per minute and outcome), so the console can show the last hour and day across instances while a
 * flood of refused requests costs no write per request. A flush the store refuses is kept for the next one.
 */
@Injectable()
export class AnswerCounter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  /** `minute|outcome` → count since the last flush. */
  private counts = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private failing = false;

  constructor(private readonly stats: AnswerStats, private readonly clock: Clock) {}

  /** One answer sent (the receiver calls this once per answer: a Map update, no I/O). */
  count(outcome: string): void {
    const key = `${Math.floor(this.clock.now() / MINUTE) * MINUTE}|${outcome}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Adds what was counted since the last flush to the store (one flush at a time). */
  async flush(): Promise<void> {
    await this.flushing;
    if (!this.counts.size) return;
    const taken = this.counts;
    this.counts = new Map();
    const rows = [...taken].map(([key, count]) => {
      const bar = key.indexOf('|');
      return { minute: Number(key.slice(0, bar)), outcome: key.slice(bar + 1), count };
    });
    this.flushing = this.stats.addAnswerCounts(rows).then(
      () => {
        if (this.failing) this.logger.log('webhook answer counts are stored again');
        this.failing = false;
      },
      (error: Error) => {
        if (!this.failing) this.logger.warn(`could not store webhook answer counts (kept for the next try): ${error.message}`);
        this.failing = true;
        this.keep(taken);
      },
    );
    await this.flushing;
  }

  /** Puts counts that could not be stored back, bounded: an outage of hours keeps the latest minutes. */
  private keep(taken: Map<string, number>): void {
    for (const [key, count] of taken) this.counts.set(key, (this.counts.get(key) ?? 0) + count);
    if (this.counts.size <= MAX_HELD_KEYS) return;
    const keys = [...this.counts.keys()].sort((a, b) => Number(a.split('|')[0]) - Number(b.split('|')[0]));
    for (const key of keys.slice(0, this.counts.size - MAX_HELD_KEYS)) this.counts.delete(key);
  }
}
