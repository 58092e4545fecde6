import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock';
import { RepeatedLog } from '../common/repeated-log';
import { AlertGroups } from '../store/alert-groups';

/** Longest wait between two looks for due groups (a group opened meanwhile is found by the next look). */
const POLL_MS = 1000;

/**
 * Flushes due alert groups: each due group is closed and given its one delivery in one store transaction, which
 * the dispatcher then sends like any other (its next poll finds it). A crash between two looks loses nothing: the
 * group stays open in the store and the next start flushes it.
 */
@Injectable()
export class GroupFlusher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(GroupFlusher.name);
  private readonly failures = new RepeatedLog(60_000);
  private timer?: NodeJS.Timeout;
  private stopped = true;
  private running?: Promise<void>;

  constructor(private readonly groups: AlertGroups, private readonly clock: Clock) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One look: flush what is due; resolves to when to look again. */
  async flushNow(): Promise<number> {
    const now = this.clock.now();
    const flushed = await this.groups.flushDue(now);
    for (const group of flushed) this.logger.log(`group ${group.id} (${group.route} → ${group.sink}) closed with ${group.members} events`);
    const next = await this.groups.nextDueAt();
    return next === null ? POLL_MS : Math.min(POLL_MS, Math.max(10, next - this.clock.now()));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.flushNow().then(
        (wait) => this.schedule(wait),
        (error: Error) => {
          this.failures.write(this.clock.now(), () => this.logger.error(`cannot flush alert groups: ${error.message}`));
          this.schedule(POLL_MS);
        },
      );
    }, ms);
    this.timer.unref();
  }
}
