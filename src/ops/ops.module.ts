import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CommonModule, oncePer } from '../common/common.module';
import { BridgeConfigModule } from '../config/bridge-config.module';
import { BridgeSetup } from '../config/bridge-setup';
import { DispatchModule } from '../delivery/delivery.module';
import { MetricsModule } from '../metrics/metrics.module';
import { SinksModule } from '../sink-registry/sinks.module';
import { StoreModule } from '../store/store.module';
import { SyncLoopModule } from '../sync/sync.module';
import { ConfigReloaderService } from './config-reloader.service';
import { DomainExceptionFilter } from './domain-exception.filter';
import { HealthController } from './health.controller';
import { LeaderService } from './leader.service';
import { MetricsController } from './metrics.controller';
import { ReadinessService } from './readiness.service';
import { RedactingInterceptor } from './redacting.interceptor';

/**
 * Running the serving process: /healthz, /readyz, /metrics, hot reload (it announces `config.changed` through the
 * config), leadership (`leadership.changed`) and housekeeping, shutdown (`bridge.stopping`), and the error answer
 * of every Nest route.
 */
@Module({})
export class OpsModule {
  static readonly forRoot = oncePer((setup: BridgeSetup) => ({
    module: OpsModule,
    imports: [
      CommonModule, BridgeConfigModule.forRoot(setup), StoreModule.forRoot(setup), SinksModule.forRoot(setup), MetricsModule.forRoot(setup),
      DispatchModule.forRoot(setup), SyncLoopModule.forRoot(setup),
    ],
    controllers: [HealthController, MetricsController],
    providers: [ReadinessService, LeaderService, ConfigReloaderService, RedactingInterceptor, { provide: APP_FILTER, useClass: DomainExceptionFilter }],
    exports: [ReadinessService, ConfigReloaderService, LeaderService, RedactingInterceptor],
  }));
}
