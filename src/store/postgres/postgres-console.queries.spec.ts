import { start, TestCluster } from '../../../scripts/pg-cluster';
import { consoleQueriesContract } from '../../../test/integration/console-queries.contract';
import { PostgresConsoleQueries, positional } from './postgres-console.queries';
import { PostgresEventStore } from './postgres-event.store';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await start();
}, 60_000);
afterAll(() => cluster?.stop());

consoleQueriesContract('PostgreSQL', async () => {
  const url = await cluster.database('console_queries');
  const store = new PostgresEventStore({ url });
  await store.ping(); // migrated
  return { store, queries: new PostgresConsoleQueries({ url }) };
});

describe('named parameters for PostgreSQL', () => {
  it('numbers each name once, in order of first use, and refuses a missing one', () => {
    expect(positional('a = @x AND b = @y OR c = @x', { x: 1, y: 2 })).toEqual({ text: 'a = $1 AND b = $2 OR c = $1', values: [1, 2] });
    expect(() => positional('a = @z', {})).toThrow('no value for @z');
  });
});
