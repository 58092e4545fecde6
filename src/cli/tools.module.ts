import { DynamicModule, Module } from '@nestjs/common';
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
  static forRoot(config: LoadedConfig): DynamicModule {
    const setup: BridgeSetup = { config, serving: false };
    const modules = [StoreModule.forRoot(setup), DeliveryModule.forRoot(setup), SyncModule.forRoot(setup)];
    return { module: ToolsModule, imports: modules, exports: modules };
  }
}
