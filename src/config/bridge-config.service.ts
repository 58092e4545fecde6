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
  private loaded: LoadedConfig;
  private readonly listeners: ((next: LoadedConfig, previous: LoadedConfig) => void)[] = [];

  constructor(config: ConfigService) {
    this.loaded = config.getOrThrow<LoadedConfig>(BRIDGE_CONFIG_KEY);
  }

  get current(): LoadedConfig {
    return this.loaded;
  }

  /** Called with every new config after it is swapped in (hot reload). */
  onChange(listener: (next: LoadedConfig, previous: LoadedConfig) => void): void {
    this.listeners.push(listener);
  }

  /** Swaps in a config that has already been validated as a whole. */
  apply(next: LoadedConfig): void {
    const previous = this.loaded;
    this.loaded = next;
    for (const listener of this.listeners) listener(next, previous);
  }
}
