import { INestApplicationContext } from '@nestjs/common';
import { AlertGroups, AnswerStats, DeliveryQueue, EndpointSyncLog, EventInbox, Housekeeping, KeyringStore, LeaderLock, Silences, StorePorts } from '../../src/store/ports';
import { SqliteOptions } from '../../src/store/sqlite/sqlite-engine';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';

/**
 * Every port of one store as one object, for tests that look at what the bridge stored (events, deliveries,
 * secrets) without caring which port holds it. Production code injects the one port it needs instead.
 */
export type StoreView = EventInbox & DeliveryQueue & KeyringStore & LeaderLock & Housekeeping & AlertGroups & Silences & AnswerStats & EndpointSyncLog & { close(): Promise<void> };

const METHODS = {
  inbox: ['ingest', 'getEvent', 'listEvents'],
  queue: [
    'claimDue', 'settle', 'settleBatch', 'release', 'replay', 'openCircuit', 'closeCircuit', 'openCircuits', 'deadLetterUnknownSinks',
    'getDelivery', 'listDeliveries', 'listAttempts', 'countDeliveries', 'deliveryCounts',
  ],
  keyring: ['saveEndpointSecrets', 'forgetEndpointSecrets', 'listEndpointSecrets', 'saveRotation', 'endRotation', 'listRotations'],
  leader: ['acquireLeadership'],
  housekeeping: ['purgeDelivered', 'ping'],
  groups: ['flushDue', 'emptyDigest', 'nextDueAt', 'getGroup', 'listGroups', 'members', 'memberCounts'],
  silences: ['addSilence', 'expireSilence', 'getSilence', 'listSilences'],
  answers: ['addAnswerCounts', 'answerTotals', 'answerSeries', 'purgeAnswerCounts'],
  syncLog: ['recordSync', 'listSync'],
} satisfies { [P in keyof Omit<StorePorts, 'close'>]: (keyof StorePorts[P])[] };

/** The ports as one object (methods bound to their adapter). */
export function storeView(ports: Omit<StorePorts, 'close'> & { close?: () => Promise<void> }): StoreView {
  const view: Record<string, unknown> = { close: () => ports.close?.() ?? Promise.resolve() };
  for (const [port, names] of Object.entries(METHODS)) {
    const adapter = ports[port as keyof typeof METHODS] as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of names) view[name] = adapter[name].bind(adapter);
  }
  return view as unknown as StoreView;
}

/** A SQLite store on `path` (created or migrated as the bridge would), as one object. */
export async function openSqlite(path: string, options: SqliteOptions = {}): Promise<StoreView> {
  return storeView(await openSqliteStore(path, options));
}

/** The ports a running bridge (or tools context) injects, as one object. Closing it is the app's business. */
export function appStore(app: INestApplicationContext): StoreView {
  return storeView({
    inbox: app.get(EventInbox), queue: app.get(DeliveryQueue), keyring: app.get(KeyringStore),
    leader: app.get(LeaderLock), housekeeping: app.get(Housekeeping), groups: app.get(AlertGroups), silences: app.get(Silences),
    answers: app.get(AnswerStats), syncLog: app.get(EndpointSyncLog),
  });
}
