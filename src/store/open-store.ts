import { StorePorts } from './ports';
import { openPostgresStore } from './postgres/pg-store';
import { openSqliteStore } from './sqlite/sqlite-store';

/** The config's `store` section, as far as opening it goes. */
export interface StoreSettings {
  driver?: string;
  path: string;
  url?: string;
  poolSize?: number;
  schema?: string;
}

/**
 * Opens the engine the settings name, with its adapters for every port.
 * @param owner true for the serving process (it dispatches); false for tools that only read and re-queue
 */
export function openStore(settings: StoreSettings, owner: boolean): Promise<StorePorts> {
  return settings.driver === 'postgres'
    ? Promise.resolve(openPostgresStore({ url: settings.url!, poolSize: settings.poolSize, schema: settings.schema }))
    : openSqliteStore(settings.path, { owner });
}
