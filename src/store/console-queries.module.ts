import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { BridgeConfigService } from '../config/bridge-config.service';
import { ConsoleQueries } from './console-queries';
import { EventStore } from './event-store';
import { PostgresConsoleQueries } from './postgres/postgres-console.queries';
import { SqliteConsoleQueries } from './sqlite/sqlite-console.queries';

/** The read-only query port of the admin API and the console, backed by the engine the config names. */
@Module({
  providers: [
    {
      provide: ConsoleQueries,
      // after the EventStore: it creates and migrates the schema these queries read
      inject: [BridgeConfigService, EventStore],
      useFactory: (config: BridgeConfigService) => {
        const store = config.current.store;
        return store.driver === 'postgres' ? new PostgresConsoleQueries({ url: store.url!, schema: store.schema }) : new SqliteConsoleQueries(store.path);
      },
    },
  ],
  exports: [ConsoleQueries],
})
export class ConsoleQueriesModule implements OnApplicationShutdown {
  constructor(@Inject(ConsoleQueries) private readonly queries: ConsoleQueries) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queries.close();
  }
}
