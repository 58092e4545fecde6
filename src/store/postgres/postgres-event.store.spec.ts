import { start, TestCluster } from '../../../scripts/pg-cluster';
import { eventStoreContract } from '../../../test/integration/store.contract';
import { Client } from 'pg';
import { POSTGRES_MIGRATIONS } from './migrations';
import { PostgresEventStore } from './postgres-event.store';

let cluster: TestCluster;
let n = 0;
beforeAll(async () => {
  cluster = await start();
}, 60_000);
afterAll(() => cluster?.stop());

eventStoreContract('PostgreSQL', async () => {
  const url = await cluster.database(`contract_${++n}`);
  return { store: new PostgresEventStore({ url }), reopen: async () => new PostgresEventStore({ url }) };
});

describe('PostgresEventStore specifics', () => {
  it('dedupes one event arriving at two instances at once', async () => {
    const url = await cluster.database('dedupe_race');
    const [a, b] = [new PostgresEventStore({ url }), new PostgresEventStore({ url })];
    const event = { dedupeKey: 'id:same', event: 'e', timestamp: 1, endpoint: null, receivedAt: 1, body: '{}', deliveries: [{ route: 'r', sink: 's' }] };
    const results = await Promise.all([a.ingest(event), b.ingest(event), a.ingest(event), b.ingest(event)]);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect((await a.countDeliveries()).pending).toBe(1);
    await a.close();
    await b.close();
  });

  it('shares the work between instances: no delivery is claimed by both', async () => {
    const url = await cluster.database('skip_locked');
    const [a, b] = [new PostgresEventStore({ url }), new PostgresEventStore({ url })];
    await Promise.all(Array.from({ length: 100 }, (_, i) =>
      a.ingest({ dedupeKey: `k${i}`, event: 'e', timestamp: 1, endpoint: null, receivedAt: 1, body: '{}', deliveries: [{ route: 'r', sink: 's' }] })));
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).claimDue('s', 15, 10, 60_000)));
    const ids = claims.flat().map((d) => d.id);
    expect(ids).toHaveLength(100);
    expect(new Set(ids).size).toBe(100);
    await a.close();
    await b.close();
  });

  it('applies migrations once when two instances start together', async () => {
    const url = await cluster.database('migrate_race');
    const stores = [new PostgresEventStore({ url }), new PostgresEventStore({ url }), new PostgresEventStore({ url })];
    const pings = await Promise.allSettled(stores.map((s) => s.ping()));
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
    const [a, b] = [new PostgresEventStore({ url }), new PostgresEventStore({ url })];
    expect(await a.acquireLeadership()).toBe(true);
    expect(await b.acquireLeadership()).toBe(false);
    expect(await a.acquireLeadership()).toBe(true);
    await a.close();
    expect(await b.acquireLeadership()).toBe(true);
    await b.close();
  });

  it('answers StoreUnavailableError when the database is gone', async () => {
    const store = new PostgresEventStore({ url: cluster.url('no_such_database') });
    await expect(store.ingest({ dedupeKey: 'k', event: 'e', timestamp: 1, endpoint: null, receivedAt: 1, body: '{}', deliveries: [] })).rejects.toMatchObject({ name: 'StoreUnavailableError' });
    await store.close();
  });
});
