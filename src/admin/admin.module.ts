import { Module } from '@nestjs/common';
import { AlertingModule } from '../alerting/alerting.module';
import { oncePer } from '../common/common.module';
import { BridgeConfigModule } from '../config/bridge-config.module';
import { BridgeSetup } from '../config/bridge-setup';
import { DeliveryModule } from '../delivery/delivery.module';
import { RedactingInterceptor } from '../ops/redacting.interceptor';
import { ConsoleQueriesModule } from '../store/console-queries.module';
import { StoreModule } from '../store/store.module';
import { AdminController } from './admin.controller';
import { AdminGuard } from './admin.guard';
import { AdminService } from './admin.service';

/** The admin API (bearer token): events (and their search), deliveries, replay, dry runs, the config in use. */
@Module({})
export class AdminModule {
  static readonly forRoot = oncePer((setup: BridgeSetup) => ({
    module: AdminModule,
    imports: [BridgeConfigModule.forRoot(setup), StoreModule.forRoot(setup), DeliveryModule.forRoot(setup), ConsoleQueriesModule.forRoot(setup),
      AlertingModule.forRoot(setup)],
    controllers: [AdminController],
    providers: [AdminService, AdminGuard, RedactingInterceptor],
    exports: [AdminService],
  }));
}
