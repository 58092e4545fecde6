import { Module } from '@nestjs/common';
import { CommonModule, oncePer } from '../common/common.module';
import { BridgeConfigModule } from '../config/bridge-config.module';
import { BridgeSetup } from '../config/bridge-setup';
import { MetricsModule } from '../metrics/metrics.module';
import { StoreModule } from '../store/store.module';
import { SyncLoopService } from './sync-loop.service';
import { SyncService } from './sync.service';

/** Keeping JoggAI's endpoints in line with the config (plan, apply, rotate); announces `keyring.changed`. */
@Module({})
export class SyncModule {
  static readonly forRoot = oncePer((setup: BridgeSetup) => ({
    module: SyncModule,
    imports: [CommonModule, BridgeConfigModule.forRoot(setup), StoreModule.forRoot(setup)],
    providers: [SyncService],
    exports: [SyncService],
  }));
}

/**
 * The serving process's sync loop (`jogg.sync.auto`), on the leader only (it takes `leadership.changed`). Apart
 * from SyncModule so the CLI, which syncs on request, never starts it.
 */
@Module({})
export class SyncLoopModule {
  static readonly forRoot = oncePer((setup: BridgeSetup) => ({
    module: SyncLoopModule,
    imports: [CommonModule, BridgeConfigModule.forRoot(setup), SyncModule.forRoot(setup), MetricsModule.forRoot(setup)],
    providers: [SyncLoopService],
    exports: [SyncLoopService],
  }));
}
