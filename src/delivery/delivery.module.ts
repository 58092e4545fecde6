import { Module } from '@nestjs/common';
import { RoutingService } from '../rules/routing.service';
import { SinksModule } from '../sinks/sinks.module';
import { DispatcherService } from './dispatcher.service';
import { DryRunService } from './dry-run.service';
import { ReplayService } from './replay.service';

@Module({
  imports: [SinksModule],
  providers: [DispatcherService, ReplayService, RoutingService, DryRunService],
  exports: [DispatcherService, ReplayService, RoutingService, DryRunService],
})
export class DeliveryModule {}
