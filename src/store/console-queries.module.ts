import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { oncePer } from '../common/common.module';
import { BridgeConfigModule } from '../config/bridge-config.module';
import { BridgeConfigService } from '../config/bridge-config.service';
import { BridgeSetup } from '../config/bridge-setup';
import { ConsoleQueries } from './console-queries';
import { Housekeeping } from './ports/housekeeping';
import { PostgresConsoleQueries } from './postgres/postgres-console.queries';
import { SqliteConsoleQueries } from './sqlite/sqlite-console.queries';
import { StoreModule } from './store.module';

/** The read-only query port of the admin API and the console, backed by the engine the config names. */
@Module({})
export class ConsoleQueriesModule implements OnApplicationShutdown {
  static readonly forRoot = oncePer((setup: BridgeSetup) => ({
    module: ConsoleQueriesModule,
    imports: [BridgeConfigModule.forRoot(setup), StoreModule.forRoot(setup)],
    providers: [
      {
        provide: ConsoleQueries,
        // after the store's engine (Housekeeping is one of its ports): it creates and migrates the schema these queries read
        inject: [BridgeConfigService, Housekeeping],
        useFactory: (config: BridgeConfigService) => {
          const store = config.current.store;
          return store.driver === 'postgres' ? new PostgresConsoleQueries({ url: store.url!, schema: store.schema }) : new SqliteConsoleQueries(store.path);
        },
      },
    ],
    exports: [ConsoleQueries],
  }));

  constructor(@Inject(ConsoleQueries) private readonly queries: ConsoleQueries) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queries.close();
  }
}
