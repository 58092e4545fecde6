import { Module } from '@nestjs/common';
import { oncePer } from '../common/common.module';
import { RoutingService } from '../rules/routing.service';
import { BridgeConfigModule } from './bridge-config.module';
import { BridgeConfigService } from './bridge-config.service';
import { BridgeSetup } from './bridge-setup';

/**
 * The rules module: routing over the live config. It is declared here, not in src/rules, because rules are plain
 * code (no Nest, no config: the config compiles routes with them, so rules importing config would be a cycle).
 */
@Module({})
export class RulesModule {
  static readonly forRoot = oncePer((setup: BridgeSetup) => ({
    module: RulesModule,
    imports: [BridgeConfigModule.forRoot(setup)],
    providers: [{ provide: RoutingService, inject: [BridgeConfigService], useFactory: (live: BridgeConfigService) => new RoutingService(() => live.current) }],
    exports: [RoutingService],
  }));
}
