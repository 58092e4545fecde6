import { start, TestCluster } from '../../../scripts/pg-cluster';
import { consoleQueriesContract } from '../../../test/integration/console-queries.contract';
import { PostgresConsoleQueries, positional } from './postgres-console.queries';
import { storeView, StoreView } from '../../../test/support/store';
import { openPostgresStore } from './pg-store';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await start();
}, 60_000);
afterAll(() => cluster?.stop());

consoleQueriesContract('PostgreSQL', async () => {
  const url = await cluster.database('console_queries');
  const store = storeView(openPostgresStore({ url }));
  await store.ping(); // migrated
  return { store, queries: new PostgresConsoleQueries({ url }) };
});

describe('named parameters for PostgreSQL', () => {
  it('numbers each name once, in order of first use, and refuses a missing one', () => {
    expect(positional('a = @x AND b = @y OR c = @x', { x: 1, y: 2 })).toEqual({ text: 'a = $1 AND b = $2 OR c = $1', values: [1, 2] });
    expect(() => positional('a = @z', {})).toThrow('no value for @z');
  });
});

/** The events page's query shapes on PostgreSQL, on a table large enough that the planner's choice matters. */
describe('PostgreSQL query plans on 300,000 events', () => {
  const N = 300_000;
  let url: string;
  let store: StoreView;
  let client: import('pg').Client;

  beforeAll(async () => {
    url = await cluster.database('console_plans');
    store = storeView(openPostgresStore({ url }));
    await store.ping();
    const { Client } = await import('pg');
    client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`
      INSERT INTO events (dedupe_key, event_id, event, endpoint, timestamp, received_at, routed, body)
      SELECT 'seed:' || i, 'evt' || i, (ARRAY['generated_video_success','generated_avatar_video_success','generated_image_success','generated_video_failed'])[1 + i % 4],
             NULL, i, 1800000000000 + i * 1000, 1, '{"event":"x","data":{"video_id":"vid-' || i || '","note":"customer ' || (i % 5000) || '"}}'
      FROM generate_series(1, ${N}) AS i`);
    await client.query(`
      INSERT INTO deliveries (event_pk, route, sink, status, attempts, next_at, created_at, updated_at)
      SELECT id, 'all', 'crm', CASE WHEN id % 1000 = 0 THEN 'dead' ELSE 'delivered' END, 1, 0, received_at, received_at + 50 FROM events`);
    await client.query('ANALYZE events; ANALYZE deliveries');
  }, 120_000);
  afterAll(async () => {
    await client?.end();
    await store?.close();
  });

  const explain = async (search: object, bounds: object = {}, event?: string): Promise<string> => {
    const { planSearch } = await import('../console-search');
    const plan = planSearch({ limit: 50, ...search }, bounds, event);
    const { text, values } = positional(PostgresConsoleQueries.sql(plan), { ...plan.params, limit: 50 });
    return (await client.query(`EXPLAIN ${text}`, values)).rows.map((r) => r['QUERY PLAN']).join('\n');
  };

  it.each([
    ['older page', { before: 150_000 }, {}, undefined],
    ['event name', {}, {}, 'generated_video_failed'],
    ['resource id', { resource: 'vid-123456' }, {}, undefined],
    ['delivery status', { status: 'dead' }, {}, undefined],
    ['time range', { from: 1, to: 2 }, { lowId: 100_000, highId: 110_000 }, undefined],
    // a text search reads one window of ids (TEXT_WINDOW, a fifth of a million-event store): here the same fifth
    ['text', { text: 'customer 42"' }, { textLow: N - N / 5 }, undefined],
  ] as [string, object, object, string | undefined][])('%s: no sequential scan of events or deliveries', async (_name, search, bounds, event) => {
    const plan = await explain(search, bounds, event);
    expect(plan).toMatch(/Index (Only )?Scan/);
    expect(plan).not.toMatch(/Seq Scan on (events|deliveries)/);
  });
});
