import { Module } from '@nestjs/common';
import { CommonModule, oncePer } from '../common/common.module';
import { DomainEvents } from '../common/domain-events';
import { BridgeConfigService } from './bridge-config.service';
import { BridgeSetup } from './bridge-setup';

/** The live config (an already loaded and validated one, swapped on reload), for the modules that import it. */
@Module({})
export class BridgeConfigModule {
  static readonly forRoot = oncePer((setup: BridgeSetup) => ({
    module: BridgeConfigModule,
    imports: [CommonModule],
    providers: [{ provide: BridgeConfigService, inject: [DomainEvents], useFactory: (events: DomainEvents) => new BridgeConfigService(setup.config, events) }],
    exports: [BridgeConfigService],
  }));
}
