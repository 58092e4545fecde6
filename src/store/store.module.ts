import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { BridgeConfigService } from '../config/bridge-config.service';
import { EventStore } from './event-store';
import { SqliteEventStore } from './sqlite/sqlite-event.store';

export const STORE_OWNER = Symbol('STORE_OWNER');

/** Provides the EventStore port, backed by the adapter the config names. */
@Global()
@Module({
  providers: [
    { provide: STORE_OWNER, useValue: true },
    {
      provide: EventStore,
      inject: [BridgeConfigService, STORE_OWNER],
      useFactory: (config: BridgeConfigService, owner: boolean) =>
        new SqliteEventStore(config.current.store.path, { owner }),
    },
  ],
  exports: [EventStore],
})
export class StoreModule implements OnApplicationShutdown {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
