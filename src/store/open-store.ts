import { StorePorts } from './ports';
import { servingBridge } from './sqlite/serve-lock';
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
  if (settings.driver !== 'postgres') return openSqliteStore(settings.path, { owner });
  // the PostgreSQL adapters (and pg) are loaded only when configured
  const { openPostgresStore } = require('./postgres/pg-store') as typeof import('./postgres/pg-store');
  return Promise.resolve(openPostgresStore({ url: settings.url!, poolSize: settings.poolSize, schema: settings.schema }));
}

/**
 * Which bridge serves the store now, for tools that write what a serving bridge applies (a silence): on SQLite the one
 * process that holds its serving lock, if any; on PostgreSQL any number of them, which nothing here can list.
 */
export function whoServes(settings: StoreSettings): { pid: number; host: string } | 'several' | undefined {
  return settings.driver === 'postgres' ? 'several' : servingBridge(settings.path);
}
