import { start, TestCluster } from '../../../scripts/pg-cluster';
import { openPostgresStore } from './pg-store';

// The AlertGroups contract runs on both engines with the others (test/integration/store-contract); this is the race
// only PostgreSQL has: several instances on one database.
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await start();
}, 60_000);
afterAll(() => cluster?.stop());

describe('PostgreSQL alert groups across instances', () => {
  it('puts one key\'s events ingested by two instances at once into one group, and flushes it once', async () => {
    const url = await cluster.database('groups_race');
    const [a, b] = [openPostgresStore({ url }), openPostgresStore({ url })];
    const group = { key: 'k', waitMs: 1_000, intervalMs: 5_000 };
    await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).inbox.ingest({
      dedupeKey: `k${i}`, event: 'generated_video_failed', timestamp: 1, endpoint: null, receivedAt: 1_000, body: '{}',
      deliveries: [{ route: 'r', sink: 's', group }],
    })));
    expect((await a.groups.listGroups({})).map((g) => g.members)).toEqual([60]);
    const flushed = (await Promise.all([a.groups.flushDue(5_000), b.groups.flushDue(5_000), a.groups.flushDue(5_000)])).flat();
    expect(flushed.map((g) => g.members)).toEqual([60]);
    expect(await a.queue.listDeliveries({ sink: 's' })).toHaveLength(1);
    await a.close();
    await b.close();
  });
});
