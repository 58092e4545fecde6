import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { BridgeConfigService } from '../config/bridge-config.service';
import { Sink } from './sink';
import { SinkFactory } from './sink.factory';

/** The live sink instances, by name. */
@Injectable()
export class SinkRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger(SinkRegistry.name);
  private readonly sinks = new Map<string, Sink>();

  constructor(config: BridgeConfigService, factory: SinkFactory) {
    for (const loaded of config.current.sinks.values()) this.sinks.set(loaded.name, factory.create(loaded));
  }

  get(name: string): Sink | undefined {
    return this.sinks.get(name);
  }

  names(): string[] {
    return [...this.sinks.keys()];
  }

  async onApplicationShutdown(): Promise<void> {
    for (const sink of this.sinks.values()) {
      await sink.close().catch((error) => this.logger.warn(`closing sink ${sink.name}: ${(error as Error).message}`));
    }
  }
}
