import { StorePorts } from '../ports';
import { SqliteAnswerStats, SqliteEndpointSyncLog } from './sqlite-answer-stats';
import { SqliteDeliveryQueue } from './sqlite-delivery-queue';
import { SqliteEngine, SqliteOptions } from './sqlite-engine';
import { SqliteEventInbox } from './sqlite-event-inbox';
import { SqliteAlertGroups } from './sqlite-groups';
import { SqliteHousekeeping } from './sqlite-housekeeping';
import { SqliteKeyringStore } from './sqlite-keyring.store';
import { SqliteLeaderLock } from './sqlite-leader-lock';
import { SqliteSilences } from './sqlite-silences';

export interface SqlitePorts extends StorePorts {
  readonly engine: SqliteEngine;
}

/** Opens the SQLite engine and its adapters, one per port, all on its connection and writer thread. */
export async function openSqliteStore(path: string, options: SqliteOptions = {}): Promise<SqlitePorts> {
  const engine = await SqliteEngine.open(path, options);
  return {
    engine,
    inbox: new SqliteEventInbox(engine),
    queue: new SqliteDeliveryQueue(engine),
    keyring: new SqliteKeyringStore(engine),
    leader: new SqliteLeaderLock(),
    housekeeping: new SqliteHousekeeping(engine),
    groups: new SqliteAlertGroups(engine),
    silences: new SqliteSilences(engine),
    answers: new SqliteAnswerStats(engine),
    syncLog: new SqliteEndpointSyncLog(engine),
    close: () => engine.close(),
  };
}
