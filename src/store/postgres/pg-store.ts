import { StorePorts } from '../ports';
import { PgAnswerStats, PgEndpointSyncLog } from './pg-answer-stats';
import { PgDeliveryQueue } from './pg-delivery-queue';
import { PgEngine, PostgresOptions } from './pg-engine';
import { PgEventInbox } from './pg-event-inbox';
import { PgAlertGroups } from './pg-groups';
import { PgHousekeeping } from './pg-housekeeping';
import { PgKeyringStore } from './pg-keyring.store';
import { PgLeaderLock } from './pg-leader-lock';
import { PgSilences } from './pg-silences';

export interface PgPorts extends StorePorts {
  readonly engine: PgEngine;
}

/**
 * The PostgreSQL engine and its adapters, one per port, on one pool. The schema is brought up to date in the
 * background: writes wait for it, and fail (StoreUnavailableError) when it cannot be reached.
 */
export function openPostgresStore(options: PostgresOptions): PgPorts {
  const engine = new PgEngine(options);
  // the inbox registers first: a group commit writes its events before the settlements
  const inbox = new PgEventInbox(engine);
  return {
    engine,
    inbox,
    queue: new PgDeliveryQueue(engine),
    keyring: new PgKeyringStore(engine),
    leader: new PgLeaderLock(engine),
    housekeeping: new PgHousekeeping(engine),
    groups: new PgAlertGroups(engine),
    silences: new PgSilences(engine),
    answers: new PgAnswerStats(engine),
    syncLog: new PgEndpointSyncLog(engine),
    close: () => engine.close(),
  };
}
