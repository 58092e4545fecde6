import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { oncePer } from '../common/common.module';
import { BridgeConfigModule } from '../config/bridge-config.module';
import { BridgeConfigService } from '../config/bridge-config.service';
import { BridgeSetup } from '../config/bridge-setup';
import { EventStore } from './event-store';
import { PostgresEventStore } from './postgres/postgres-event.store';
import { SqliteEventStore } from './sqlite/sqlite-event.store';

export const STORE_OWNER = Symbol('STORE_OWNER');

/** Provides the EventStore port, backed by the adapter the config names. */
@Module({})
export class StoreModule implements OnApplicationShutdown {
  /** `setup.serving`: the serving process owns the store (it dispatches); tools only read and re-queue */
  static readonly forRoot = oncePer((setup: BridgeSetup) => ({
      module: StoreModule,
      imports: [BridgeConfigModule.forRoot(setup)],
      providers: [
        { provide: STORE_OWNER, useValue: setup.serving },
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
      ],
      exports: [EventStore],
  }));

  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
