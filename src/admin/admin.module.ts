import { Module } from '@nestjs/common';
import { AlertingModule } from '../alerting/alerting.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { AdminController } from './admin.controller';
import { AdminGuard } from './admin.guard';
import { AdminService } from './admin.service';
import { RedactingInterceptor } from '../ops/redacting.interceptor';

@Module({
  imports: [DeliveryModule, AlertingModule],
  controllers: [AdminController],
  providers: [AdminService, AdminGuard, RedactingInterceptor],
})
export class AdminModule {}
