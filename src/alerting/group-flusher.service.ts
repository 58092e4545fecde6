import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { nextDigestAt } from '../common/active-time';
import { Clock } from '../common/clock';
import { BridgeConfigService } from '../config/bridge-config.service';
import { RepeatedLog } from '../common/repeated-log';
import { AlertGroups } from '../store/ports/alert-groups';
import { digestKey } from './membership';
import { counted } from '../common/units';

/** Longest wait between two looks for due groups (a group opened meanwhile is found by the next look). */
const POLL_MS = 1000;
/** An empty digest is sent this long after its period ended: an event received just before the end commits first. */
const EMPTY_DIGEST_GRACE_MS = 5000;
const PERIOD_MS = { hour: 3_600_000, day: 86_400_000, week: 604_800_000 } as const;

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
  /** Per digest sink with sendEmpty, the last period end already looked at. */
  private readonly digestsDone = new Map<string, number>();

  constructor(private readonly groups: AlertGroups, private readonly clock: Clock, private readonly config: BridgeConfigService) {}

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
    // a read first: most looks find nothing due, and need no write transaction
    const due = await this.groups.nextDueAt();
    const flushed = due !== null && due <= now ? await this.groups.flushDue(now) : [];
    for (const group of flushed) this.logger.log(`group ${group.id} (${group.route} → ${group.sink}) closed with ${counted(group.members, 'event')}`);
    await this.emptyDigests(now);
    const next = await this.groups.nextDueAt();
    return next === null ? POLL_MS : Math.min(POLL_MS, Math.max(10, next - this.clock.now()));
  }

  /** Digests asked for even when empty: the last period that ended, unless it had events (its group exists). */
  private async emptyDigests(now: number): Promise<void> {
    for (const [sink, digest] of this.config.current.groups.digests) {
      if (!digest.sendEmpty) continue;
      const before = now - EMPTY_DIGEST_GRACE_MS;
      const end = nextDigestAt(digest.schedule, before - PERIOD_MS[digest.schedule.every]);
      if (end > before || this.digestsDone.get(sink) === end) continue;
      const group = await this.groups.emptyDigest(sink, digestKey(end), end, now);
      this.digestsDone.set(sink, end);
      if (group) this.logger.log(`group ${group.id} (digest → ${sink}): no events in the period, an empty digest as asked`);
    }
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
