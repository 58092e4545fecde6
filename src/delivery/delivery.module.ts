import { Module } from '@nestjs/common';
import { AlertingModule } from '../alerting/alerting.module';
import { SinkCircuits } from '../ops/sink-circuits';
import { RoutingService } from '../rules/routing.service';
import { SinksModule } from '../sink-registry/sinks.module';
import { DispatcherService } from './dispatcher.service';
import { DryRunService } from './dry-run.service';
import { ReplayService } from './replay.service';

@Module({
  imports: [SinksModule, AlertingModule],
  providers: [DispatcherService, { provide: SinkCircuits, useExisting: DispatcherService }, ReplayService, RoutingService, DryRunService],
  exports: [DispatcherService, SinkCircuits, ReplayService, RoutingService, DryRunService],
})
export class DeliveryModule {}
