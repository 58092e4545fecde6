import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract } from '../../../test/integration/store.contract';
import { StoreUnavailableError } from '../event-store';
import { SqliteEventStore } from './sqlite-event.store';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

eventStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jogg-store-'));
  dirs.push(dir);
  const path = join(dir, 'bridge.db');
  return { store: new SqliteEventStore(path, { owner: true }), reopen: async () => new SqliteEventStore(path, { owner: true }) };
});

describe('SqliteEventStore specifics', () => {
  it('commits concurrent writes in one transaction (group commit)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jogg-store-'));
    dirs.push(dir);
    const store = new SqliteEventStore(join(dir, 'b.db'));
    const db = (store as unknown as { db: { transaction: (fn: () => unknown) => unknown } }).db;
    const spy = jest.spyOn(db, 'transaction');
    const base = { eventId: undefined, event: 'e', timestamp: 1, endpoint: null, receivedAt: 1, body: '{}', deliveries: [] };
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.ingest({ ...base, dedupeKey: `k${i}` })));
    // one outer transaction plus one savepoint per write
    expect(spy).toHaveBeenCalledTimes(51);
    await store.close();
  });

  it('releases leases left by a previous run when it opens as the owner', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jogg-store-'));
    dirs.push(dir);
    const path = join(dir, 'b.db');
    const first = new SqliteEventStore(path, { owner: true });
    await first.ingest({ dedupeKey: 'k', event: 'e', timestamp: 1, endpoint: null, receivedAt: 1, body: '{}', deliveries: [{ route: 'r', sink: 's' }] });
    expect(await first.claimDue('s', 1, 10, 60_000)).toHaveLength(1);
    await first.close();
    const tool = new SqliteEventStore(path);
    expect(await tool.claimDue('s', 1, 20, 60_000)).toHaveLength(0);
    await tool.close();
    const second = new SqliteEventStore(path, { owner: true });
    expect(await second.claimDue('s', 1, 20, 60_000)).toHaveLength(1);
    await second.close();
  });

  it('rejects writes with StoreUnavailableError when the database cannot be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jogg-store-'));
    dirs.push(dir);
    const path = join(dir, 'b.db');
    const store = new SqliteEventStore(path);
    const db = (store as unknown as { db: { pragma: (s: string) => unknown } }).db;
    db.pragma('query_only = ON');
    const write = store.ingest({ dedupeKey: 'k', event: 'e', timestamp: 1, endpoint: null, receivedAt: 1, body: '{}', deliveries: [] });
    await expect(write).rejects.toBeInstanceOf(StoreUnavailableError);
    db.pragma('query_only = OFF');
    await expect(store.ingest({ dedupeKey: 'k', event: 'e', timestamp: 1, endpoint: null, receivedAt: 1, body: '{}', deliveries: [] })).resolves.toMatchObject({ duplicate: false });
    await store.close();
  });
});
