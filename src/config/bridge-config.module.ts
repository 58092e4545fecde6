import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { BRIDGE_CONFIG_KEY, BridgeConfigService } from './bridge-config.service';
import { LoadedConfig } from './loaded-config';

/** Makes an already loaded and validated config available to every module. */
@Global()
@Module({})
export class BridgeConfigModule {
  static forRoot(config: LoadedConfig): DynamicModule {
    return {
      module: BridgeConfigModule,
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ [BRIDGE_CONFIG_KEY]: config })] }),
      ],
      providers: [BridgeConfigService],
      exports: [BridgeConfigService],
    };
  }
}
