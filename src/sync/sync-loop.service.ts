import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainEvents, Subscriptions } from '../common/domain-events';
import { BridgeConfigService } from '../config/bridge-config.service';
import { MetricsService } from '../metrics/metrics.service';
import { SyncService } from './sync.service';

export interface SyncState {
  enabled: boolean;
  /** Another instance leads and runs the sync. */
  standby?: boolean;
  lastSuccessAt?: number;
  lastError?: string;
}

/**
 * With `jogg.sync.auto: true`: apply at start and every interval, on the leader only (`leadership.changed`: until
 * this instance leads it stands by, and it applies at once when it becomes the leader). A failure never stops
 * ingest (the known secrets keep working); it is logged once per change of state and shown in readiness detail.
 */
@Injectable()
export class SyncLoopService implements OnModuleInit, OnModuleDestroy, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Sync');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private leading = false;
  private readonly subscriptions = new Subscriptions();
  readonly state: SyncState = { enabled: false };

  constructor(
    private readonly config: BridgeConfigService,
    private readonly sync: SyncService,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit(): void {
    this.subscriptions.add(this.events.on('leadership.changed', SyncLoopService.name, ({ leader }) => this.leadershipChanged(leader)));
  }

  onModuleDestroy(): void {
    this.subscriptions.unsubscribe();
  }

  private leadershipChanged(leader: boolean): void {
    this.leading = leader;
    // a standby that now leads applies now rather than at its next look
    if (!leader || !this.state.enabled || !this.state.standby || !this.running) return;
    clearTimeout(this.timer);
    this.running = this.running.then(() => (this.state.enabled && this.state.standby ? this.runOnce() : undefined));
  }

  onApplicationBootstrap(): void {
    this.state.enabled = this.config.current.jogg.sync.auto;
    if (!this.state.enabled) return;
    this.running = this.runOnce();
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    this.state.enabled = false;
    await this.running?.catch(() => undefined);
  }

  async runOnce(): Promise<void> {
    if (!this.leading) {
      this.state.standby = true;
      return this.schedule();
    }
    this.state.standby = false;
    try {
      const { done } = await this.sync.apply();
      this.state.lastSuccessAt = this.clock.now();
      this.metrics.syncSucceeded(this.state.lastSuccessAt);
      if (this.state.lastError !== undefined || done.length) this.logger.log(done.length ? `applied: ${done.join('; ')}` : 'in sync again');
      this.state.lastError = undefined;
    } catch (error) {
      const message = (error as Error).message;
      if (message !== this.state.lastError) this.logger.warn(`sync failed (ingest goes on with the known secrets): ${message}`);
      this.state.lastError = message;
    }
    this.schedule();
  }

  private schedule(): void {
    if (!this.state.enabled) return;
    // a standby instance looks again soon, so it takes over quickly when the leader goes
    const wait = this.state.standby ? Math.min(5000, this.config.current.jogg.sync.intervalMs) : this.config.current.jogg.sync.intervalMs;
    this.timer = setTimeout(() => (this.running = this.runOnce()), wait);
    this.timer.unref();
  }
}
