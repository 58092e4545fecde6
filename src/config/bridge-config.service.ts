import { DomainEvents } from '../common/domain-events';
import { LoadedConfig } from './loaded-config';

export interface ConfigChanged {
  next: LoadedConfig;
  previous: LoadedConfig;
}

declare module '../common/domain-events' {
  interface DomainEventMap {
    /** A reloaded config was swapped in (it was validated as a whole first). */
    'config.changed': ConfigChanged;
  }
}

/**
 * Typed access to the loaded bridge config (provided by BridgeConfigModule). Read once: the webhook path asks for
 * it several times per request.
 */
export class BridgeConfigService {
  constructor(private loaded: LoadedConfig, private readonly events: DomainEvents) {}

  get current(): LoadedConfig {
    return this.loaded;
  }

  /** Swaps in a config that has already been validated as a whole, then tells the application (`config.changed`). */
  apply(next: LoadedConfig): void {
    const previous = this.loaded;
    this.loaded = next;
    this.events.emit('config.changed', { next, previous });
  }
}
