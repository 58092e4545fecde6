import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { AdminController } from './admin.controller';
import { AdminGuard } from './admin.guard';
import { AdminService } from './admin.service';
import { RedactingInterceptor } from '../ops/redacting.interceptor';
import { ConsoleQueriesModule } from '../store/console-queries.module';

@Module({
  imports: [DeliveryModule, ConsoleQueriesModule],
  controllers: [AdminController],
  providers: [AdminService, AdminGuard, RedactingInterceptor],
  exports: [AdminService],
})
export class AdminModule {}
