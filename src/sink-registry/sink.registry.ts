import { Injectable, Logger, OnApplicationShutdown, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DomainEvents, Subscriptions } from '../common/domain-events';
import { BridgeConfigService } from '../config/bridge-config.service';
import { LoadedConfig, LoadedSink } from '../config/loaded-config';
import { Sink } from '../sinks/core/sink';
import { SinkFactory } from './sink.factory';

/** The live sink instances, by name. */
@Injectable()
export class SinkRegistry implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger(SinkRegistry.name);
  private readonly sinks = new Map<string, Sink>();
  private readonly subscriptions = new Subscriptions();

  constructor(config: BridgeConfigService, private readonly factory: SinkFactory, private readonly events: DomainEvents) {
    for (const loaded of config.current.sinks.values()) this.sinks.set(loaded.name, factory.create(loaded));
  }

  onModuleInit(): void {
    this.subscriptions.add(this.events.on('config.changed', SinkRegistry.name, ({ next, previous }) => this.update(next, previous)));
  }

  onModuleDestroy(): void {
    this.subscriptions.unsubscribe();
  }

  /** After a reload: sinks whose settings changed are created anew, removed ones closed, the rest kept as they are. */
  private update(next: LoadedConfig, previous: LoadedConfig): void {
    const retired: Sink[] = [];
    for (const [name, sink] of this.sinks) {
      const before = previous.sinks.get(name);
      const after = next.sinks.get(name);
      if (after && before && sameSettings(before, after)) continue;
      retired.push(sink);
      this.sinks.delete(name);
    }
    for (const loaded of next.sinks.values()) if (!this.sinks.has(loaded.name)) this.sinks.set(loaded.name, this.factory.create(loaded));
    // deliveries still running on a retired sink finish first
    setTimeout(() => retired.forEach((sink) => void sink.close().catch(() => undefined)), 30_000).unref();
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

function sameSettings(a: LoadedSink, b: LoadedSink): boolean {
  return JSON.stringify(a.config) === JSON.stringify(b.config);
}
