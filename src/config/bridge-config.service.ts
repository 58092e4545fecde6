import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoadedConfig } from './loaded-config';

export const BRIDGE_CONFIG_KEY = 'bridge';

/**
 * Typed access to the loaded bridge config (held by @nestjs/config under the key "bridge"). Read once:
 * the webhook path asks for it several times per request.
 */
@Injectable()
export class BridgeConfigService {
  readonly current: LoadedConfig;

  constructor(config: ConfigService) {
    this.current = config.getOrThrow<LoadedConfig>(BRIDGE_CONFIG_KEY);
  }
}
