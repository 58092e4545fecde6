import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { BridgeConfigService } from '../config/bridge-config.service';
import { AnswerStats } from '../store/ports/answer-stats';
import { Housekeeping } from '../store/ports/housekeeping';
import { LeaderLock } from '../store/ports/leader-lock';
import { MetricsService } from '../metrics/metrics.service';

declare module '../common/domain-events' {
  interface DomainEventMap {
    /** This instance became the leader (runs the sync loop and housekeeping) or stopped being it. */
    'leadership.changed': { leader: boolean };
  }
}

const CHECK_MS = 5000;
const HOUSEKEEPING_MS = 3_600_000;
/** Webhook answer counts are kept this long (the console shows the last day; a week back for comparison). */
export const ANSWER_COUNTS_KEPT_MS = 8 * 86_400_000;

/**
 * Whether this instance leads: the one that runs the sync loop and housekeeping (on PostgreSQL an advisory
 * lock held by a session, so a dead leader's lock goes with its connection and another instance takes over).
 */
@Injectable()
export class LeaderService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Leader');
  private timer?: NodeJS.Timeout;
  private lastHousekeeping = 0;
  isLeader = false;

  constructor(
    private readonly store: LeaderLock,
    private readonly upkeep: Housekeeping,
    private readonly config: BridgeConfigService,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
    private readonly events: DomainEvents,
    private readonly answers: AnswerStats,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), CHECK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async check(): Promise<void> {
    const was = this.isLeader;
    this.isLeader = await this.store.acquireLeadership().catch(() => false);
    this.metrics.leader(this.isLeader);
    if (this.isLeader !== was) {
      const line = this.isLeader ? 'this instance leads (sync loop, housekeeping)' : 'no longer the leader';
      // SQLite has one instance, always the leader: worth a line only where instances share a database
      if (this.config.current.store.driver === 'postgres') this.logger.log(line);
      else this.logger.debug?.(line);
      this.events.emit('leadership.changed', { leader: this.isLeader });
    }
    if (this.isLeader && this.clock.now() - this.lastHousekeeping >= HOUSEKEEPING_MS) await this.housekeeping();
  }

  /** Deletes events whose deliveries are all delivered, once they are older than store.retention, and answer counts older than 8 days. */
  async housekeeping(): Promise<number> {
    this.lastHousekeeping = this.clock.now();
    const purged = await this.upkeep.purgeDelivered(this.clock.now() - this.config.current.store.retentionMs).catch((error: Error) => {
      this.logger.warn(`housekeeping failed: ${error.message}`);
      return 0;
    });
    if (purged) this.logger.log(`purged ${purged} delivered events older than the retention`);
    await this.answers.purgeAnswerCounts(this.clock.now() - ANSWER_COUNTS_KEPT_MS).catch((error: Error) => this.logger.warn(`purging webhook answer counts failed: ${error.message}`));
    return purged;
  }
}
