import { start, TestCluster } from '../../../scripts/pg-cluster';
import { storeContract } from '../../../test/integration/store-contract';
import { Client } from 'pg';
import { POSTGRES_MIGRATIONS } from './migrations';
import { openPostgresStore } from './pg-store';

let cluster: TestCluster;
let n = 0;
beforeAll(async () => {
  cluster = await start();
}, 60_000);
afterAll(() => cluster?.stop());

storeContract('PostgreSQL', async () => {
  const url = await cluster.database(`contract_${++n}`);
  return { ports: openPostgresStore({ url }), reopen: async () => openPostgresStore({ url }) };
});

describe('PostgreSQL engine specifics', () => {
  it('dedupes one event arriving at two instances at once', async () => {
    const url = await cluster.database('dedupe_race');
    const [a, b] = [openPostgresStore({ url }), openPostgresStore({ url })];
    const event = { dedupeKey: 'id:same', event: 'e', timestamp: 1, endpoint: null, receivedAt: 1, body: '{}', deliveries: [{ route: 'r', sink: 's' }] };
    const results = await Promise.all([a.inbox.ingest(event), b.inbox.ingest(event), a.inbox.ingest(event), b.inbox.ingest(event)]);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect((await a.queue.countDeliveries()).pending).toBe(1);
    await a.close();
    await b.close();
  });

  it('shares the work between instances: no delivery is claimed by both', async () => {
    const url = await cluster.database('skip_locked');
    const [a, b] = [openPostgresStore({ url }), openPostgresStore({ url })];
    await Promise.all(Array.from({ length: 100 }, (_, i) =>
      a.inbox.ingest({ dedupeKey: `k${i}`, event: 'e', timestamp: 1, endpoint: null, receivedAt: 1, body: '{}', deliveries: [{ route: 'r', sink: 's' }] })));
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).queue.claimDue('s', 15, 10, 60_000)));
    const ids = claims.flat().map((d) => d.id);
    expect(ids).toHaveLength(100);
    expect(new Set(ids).size).toBe(100);
    await a.close();
    await b.close();
  });

  it('applies migrations once when two instances start together', async () => {
    const url = await cluster.database('migrate_race');
    const stores = [openPostgresStore({ url }), openPostgresStore({ url }), openPostgresStore({ url })];
    const pings = await Promise.allSettled(stores.map((s) => s.housekeeping.ping()));
    await Promise.all(stores.map((s) => s.close()));
    expect(pings.map((p) => p.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    } finally {
      await client.end();
    }
  });

  it('has one leader at a time, and hands over when the leader goes', async () => {
    const url = await cluster.database('leader');
    const [a, b] = [openPostgresStore({ url }), openPostgresStore({ url })];
    expect(await a.leader.acquireLeadership()).toBe(true);
    expect(await b.leader.acquireLeadership()).toBe(false);
    expect(await a.leader.acquireLeadership()).toBe(true);
    await a.close();
    expect(await b.leader.acquireLeadership()).toBe(true);
    await b.close();
  });

  it('answers StoreUnavailableError when the database is gone', async () => {
    const store = openPostgresStore({ url: cluster.url('no_such_database') });
    await expect(store.inbox.ingest({ dedupeKey: 'k', event: 'e', timestamp: 1, endpoint: null, receivedAt: 1, body: '{}', deliveries: [] })).rejects.toMatchObject({ name: 'StoreUnavailableError' });
    await store.close();
  });
});
