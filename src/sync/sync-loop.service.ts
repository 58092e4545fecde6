import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { Clock } from '../common/clock';
import { BridgeConfigService } from '../config/bridge-config.service';
import { MetricsService } from '../ops/metrics.service';
import { SyncService } from './sync.service';

export interface SyncState {
  enabled: boolean;
  lastSuccessAt?: number;
  lastError?: string;
}

/**
 * With `jogg.sync.auto: true`: apply at start and every interval. A failure never stops ingest (the known
 * secrets keep working); it is logged once per change of state and shown in readiness detail.
 */
@Injectable()
export class SyncLoopService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Sync');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  readonly state: SyncState = { enabled: false };

  constructor(
    private readonly config: BridgeConfigService,
    private readonly sync: SyncService,
    private readonly clock: Clock,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

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
    try {
      const { done } = await this.sync.apply();
      this.state.lastSuccessAt = this.clock.now();
      this.metrics?.syncSucceeded(this.state.lastSuccessAt);
      if (this.state.lastError !== undefined || done.length) this.logger.log(done.length ? `applied: ${done.join('; ')}` : 'in sync again');
      this.state.lastError = undefined;
    } catch (error) {
      const message = (error as Error).message;
      if (message !== this.state.lastError) this.logger.warn(`sync failed (ingest goes on with the known secrets): ${message}`);
      this.state.lastError = message;
    }
    if (this.state.enabled) {
      this.timer = setTimeout(() => (this.running = this.runOnce()), this.config.current.jogg.sync.intervalMs);
      this.timer.unref();
    }
  }
}
