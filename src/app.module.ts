import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AdminModule } from './admin/admin.module';
import { Clock } from './common/clock';
import { ConsoleModule } from './console/console.module';
import { BridgeConfigModule } from './config/bridge-config.module';
import { LoadedConfig } from './config/loaded-config';
import { DeliveryModule } from './delivery/delivery.module';
import { IngressModule } from './ingress/ingress.module';
import { DomainExceptionFilter } from './ops/domain-exception.filter';
import { ConfigReloaderService } from './ops/config-reloader.service';
import { HealthController } from './ops/health.controller';
import { LeaderService } from './ops/leader.service';
import { MetricsController } from './ops/metrics.controller';
import { MetricsService } from './ops/metrics.service';
import { ReadinessService } from './ops/readiness.service';
import { SinksModule } from './sink-registry/sinks.module';
import { StoreModule } from './store/store.module';
import { SyncLoopService } from './sync/sync-loop.service';
import { SyncService } from './sync/sync.service';

@Module({})
export class AppModule {
  static forRoot(config: LoadedConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [BridgeConfigModule.forRoot(config), StoreModule.forRoot(true), SinksModule, DeliveryModule, IngressModule, AdminModule, ConsoleModule],
      controllers: [HealthController, MetricsController],
      providers: [Clock, ReadinessService, MetricsService, ConfigReloaderService, LeaderService, SyncService, SyncLoopService, { provide: APP_FILTER, useClass: DomainExceptionFilter }],
      exports: [Clock, ReadinessService, MetricsService, ConfigReloaderService],
    };
  }
}
