import { Module } from '@nestjs/common';
import { oncePer } from '../common/common.module';
import { BridgeConfigModule } from '../config/bridge-config.module';
import { BridgeSetup } from '../config/bridge-setup';
import { StoreModule } from '../store/store.module';
import { MetricsService } from './metrics.service';

/**
 * The Prometheus metrics the other modules count into. Below delivery, ingress, sync and ops so each of them can
 * count directly; ops serves them (`/metrics`).
 */
@Module({})
export class MetricsModule {
  static readonly forRoot = oncePer((setup: BridgeSetup) => ({
    module: MetricsModule,
    imports: [BridgeConfigModule.forRoot(setup), StoreModule.forRoot(setup)],
    providers: [MetricsService],
    exports: [MetricsService],
  }));
}
