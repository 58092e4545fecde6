import { DynamicModule, Module } from '@nestjs/common';
import { Clock } from './common/clock';
import { BridgeConfigModule } from './config/bridge-config.module';
import { LoadedConfig } from './config/loaded-config';
import { DryRunService } from './delivery/dry-run.service';
import { ReplayService } from './delivery/replay.service';
import { RoutingService } from './rules/routing.service';
import { SinksModule } from './sink-registry/sinks.module';
import { StoreModule } from './store/store.module';
import { SyncService } from './sync/sync.service';

/**
 * The services the command line works with, for one config: the store (without dispatching), routing,
 * the dry run and replay. No HTTP server, no dispatcher.
 */
@Module({})
export class ToolsModule {
  static forRoot(config: LoadedConfig): DynamicModule {
    return {
      module: ToolsModule,
      imports: [BridgeConfigModule.forRoot(config), StoreModule.forRoot(false), SinksModule],
      providers: [Clock, RoutingService, DryRunService, ReplayService, SyncService],
      exports: [RoutingService, DryRunService, ReplayService, SyncService],
    };
  }
}
