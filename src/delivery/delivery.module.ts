import { Module } from '@nestjs/common';
import { AlertingModule } from '../alerting/alerting.module';
import { CommonModule, oncePer } from '../common/common.module';
import { BridgeConfigModule } from '../config/bridge-config.module';
import { BridgeSetup } from '../config/bridge-setup';
import { RulesModule } from '../config/rules.module';
import { MetricsModule } from '../metrics/metrics.module';
import { SinksModule } from '../sink-registry/sinks.module';
import { StoreModule } from '../store/store.module';
import { DispatcherService } from './dispatcher.service';
import { DryRunService } from './dry-run.service';
import { ReplayService } from './replay.service';
import { SinkCircuits } from './sink-circuits';

/** Delivery's services anyone may use: replay (it announces `deliveries.requeued`) and the dry run. Nothing runs. */
@Module({})
export class DeliveryModule {
  static readonly forRoot = oncePer((setup: BridgeSetup) => ({
    module: DeliveryModule,
    imports: [CommonModule, BridgeConfigModule.forRoot(setup), StoreModule.forRoot(setup), RulesModule.forRoot(setup), SinksModule.forRoot(setup)],
    providers: [ReplayService, DryRunService],
    exports: [ReplayService, DryRunService],
  }));
}

/**
 * The dispatcher, for the serving process only (the CLI imports DeliveryModule and never dispatches). It runs from
 * start to shutdown and is woken by `event.accepted` and `deliveries.requeued`.
 */
@Module({})
export class DispatchModule {
  static readonly forRoot = oncePer((setup: BridgeSetup) => ({
    module: DispatchModule,
    imports: [CommonModule, BridgeConfigModule.forRoot(setup), StoreModule.forRoot(setup), RulesModule.forRoot(setup), SinksModule.forRoot(setup), MetricsModule.forRoot(setup),
      AlertingModule.forRoot(setup)],
    providers: [DispatcherService, { provide: SinkCircuits, useExisting: DispatcherService }],
    exports: [SinkCircuits],
  }));
}
