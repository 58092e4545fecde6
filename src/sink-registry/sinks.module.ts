import { Module } from '@nestjs/common';
import { CommonModule, oncePer } from '../common/common.module';
import { BridgeConfigModule } from '../config/bridge-config.module';
import { BridgeSetup } from '../config/bridge-setup';
import { SinkFactory } from './sink.factory';
import { SinkRegistry } from './sink.registry';

/** The live sinks of the config (renewed on `config.changed`). */
@Module({})
export class SinksModule {
  static readonly forRoot = oncePer((setup: BridgeSetup) => ({
    module: SinksModule,
    imports: [CommonModule, BridgeConfigModule.forRoot(setup)],
    providers: [SinkFactory, SinkRegistry],
    exports: [SinkRegistry],
  }));
}
