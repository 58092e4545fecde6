import { start, TestCluster } from '../../../scripts/pg-cluster';
import { alertGroupsContract } from '../../../test/integration/alert-groups.contract';
import { silencesContract } from '../../../test/integration/silences.contract';
import { PostgresEventStore } from './postgres-event.store';

let cluster: TestCluster;
let n = 0;
beforeAll(async () => {
  cluster = await start();
}, 60_000);
afterAll(() => cluster?.stop());

alertGroupsContract('PostgreSQL', async () => {
  const url = await cluster.database(`groups_${++n}`);
  const opened = () => {
    const store = new PostgresEventStore({ url });
    return { store, groups: store.groups };
  };
  return { ...opened(), reopen: async () => opened() };
});

describe('PostgreSQL alert groups across instances', () => {
  it('puts one key\'s events ingested by two instances at once into one group, and flushes it once', async () => {
    const url = await cluster.database('groups_race');
    const [a, b] = [new PostgresEventStore({ url }), new PostgresEventStore({ url })];
    const group = { key: 'k', waitMs: 1_000, intervalMs: 5_000 };
    await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).ingest({
      dedupeKey: `k${i}`, event: 'generated_video_failed', timestamp: 1, endpoint: null, receivedAt: 1_000, body: '{}',
      deliveries: [{ route: 'r', sink: 's', group }],
    })));
    expect((await a.groups.listGroups({})).map((g) => g.members)).toEqual([60]);
    const flushed = (await Promise.all([a.groups.flushDue(5_000), b.groups.flushDue(5_000), a.groups.flushDue(5_000)])).flat();
    expect(flushed.map((g) => g.members)).toEqual([60]);
    expect(await a.listDeliveries({ sink: 's' })).toHaveLength(1);
    await a.close();
    await b.close();
  });
});

silencesContract('PostgreSQL', async () => {
  const store = new PostgresEventStore({ url: await cluster.database(`silences_${++n}`) });
  return { store, silences: store.silences };
});
