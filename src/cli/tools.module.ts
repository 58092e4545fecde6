import { Module } from '@nestjs/common';
import { oncePer } from '../common/common.module';
import { BridgeSetup } from '../config/bridge-setup';
import { LoadedConfig } from '../config/loaded-config';
import { DeliveryModule } from '../delivery/delivery.module';
import { StoreModule } from '../store/store.module';
import { SyncModule } from '../sync/sync.module';

/**
 * What the command line works with, for one config: the same modules as the server, minus what runs (no HTTP
 * server, no dispatcher, no sync loop): the store (as a tool: it reads and re-queues), delivery's replay and dry
 * run, and sync.
 */
@Module({})
export class ToolsModule {
  private static readonly build = oncePer((setup: BridgeSetup) => ({
    module: ToolsModule,
    imports: [StoreModule.forRoot(setup), DeliveryModule.forRoot(setup), SyncModule.forRoot(setup)],
    exports: [StoreModule.forRoot(setup), DeliveryModule.forRoot(setup), SyncModule.forRoot(setup)],
  }));

  static forRoot(config: LoadedConfig) {
    return ToolsModule.build({ config, serving: false });
  }
}
