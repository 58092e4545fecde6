import { Module } from '@nestjs/common';
import { RoutingService } from '../rules/routing.service';
import { SinksModule } from '../sinks/sinks.module';
import { DispatcherService } from './dispatcher.service';
import { ReplayService } from './replay.service';

@Module({
  imports: [SinksModule],
  providers: [DispatcherService, ReplayService, RoutingService],
  exports: [DispatcherService, ReplayService, RoutingService],
})
export class DeliveryModule {}
