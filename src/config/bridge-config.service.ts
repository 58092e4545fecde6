import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoadedConfig } from './loaded-config';

export const BRIDGE_CONFIG_KEY = 'bridge';

/** Typed access to the loaded bridge config (held by @nestjs/config under the key "bridge"). */
@Injectable()
export class BridgeConfigService {
  constructor(private readonly config: ConfigService) {}

  get current(): LoadedConfig {
    return this.config.getOrThrow<LoadedConfig>(BRIDGE_CONFIG_KEY);
  }
}
