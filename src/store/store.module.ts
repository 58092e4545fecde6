import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { BridgeConfigService } from '../config/bridge-config.service';
import { AlertGroups } from './alert-groups';
import { EventStore } from './event-store';
import { Silences, silencesOf } from './silences';
import { PostgresEventStore } from './postgres/postgres-event.store';
import { SqliteEventStore } from './sqlite/sqlite-event.store';

export const STORE_OWNER = Symbol('STORE_OWNER');

/** Provides the EventStore port, backed by the adapter the config names. */
@Global()
@Module({})
export class StoreModule implements OnApplicationShutdown {
  /** @param owner true for the serving process (it dispatches); false for tools that only read and re-queue */
  static forRoot(owner: boolean): DynamicModule {
    return {
      module: StoreModule,
      providers: [
        { provide: STORE_OWNER, useValue: owner },
        {
          provide: EventStore,
          inject: [BridgeConfigService, STORE_OWNER],
          useFactory: (config: BridgeConfigService, isOwner: boolean) => {
            const store = config.current.store;
            return store.driver === 'postgres'
              ? new PostgresEventStore({ url: store.url!, poolSize: store.poolSize, schema: store.schema })
              : new SqliteEventStore(store.path, { owner: isOwner });
          },
        },
        // alerting: each adapter keeps its groups port beside it (same connections, same group commit)
        { provide: AlertGroups, inject: [EventStore], useFactory: (store: EventStore & { groups: AlertGroups }) => store.groups },
        { provide: Silences, inject: [EventStore], useFactory: (store: EventStore) => silencesOf(store) },
      ],
      exports: [EventStore, AlertGroups, Silences],
    };
  }

  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
