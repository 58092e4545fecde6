import { Client } from 'pg';
import { start, TestCluster } from '../../../scripts/pg-cluster';
import { expectGolden } from '../../../test/support/golden';
import { postgresSchema } from '../../../test/support/schema-dump';
import { migrate } from '../migrate';
import { POSTGRES_MIGRATIONS, postgresMigrationDriver } from './migrations';
import { openPostgresStore } from './pg-store';

const GOLDEN = `${__dirname}/../../../test/golden`;
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await start();
}, 60_000);
afterAll(() => cluster?.stop());

/** Runs `work` on a session of its own (as a pool client, which is what the driver takes). */
async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const versions = (client: Client) => client.query('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').then((r) => r.rows);
/** Opens the store (which migrates) and closes it once the schema is there. */
async function openAndClose(url: string): Promise<void> {
  const ports = openPostgresStore({ url });
  await ports.housekeeping.ping();
  await ports.close();
}

describe('PostgreSQL migrations through the shared runner', () => {
  it('creates a fresh database at the latest version, exactly as the golden schema says (test/golden/schema-postgres.txt)', async () => {
    const url = await cluster.database('fresh');
    await openAndClose(url);
    expectGolden(GOLDEN, 'schema-postgres.txt', await postgresSchema(url));
    expect((await withClient(url, versions)).map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
  });

  it('opens a database already at the latest version without changing it', async () => {
    const url = await cluster.database('at_latest');
    await openAndClose(url);
    const [schema, recorded] = [await postgresSchema(url), await withClient(url, versions)];
    await openAndClose(url);
    expect(await postgresSchema(url)).toBe(schema);
    expect(await withClient(url, versions)).toEqual(recorded);
  });

  it('brings a database at version 3 up to the latest, applying 4 onwards only, to the same schema as a fresh one', async () => {
    const url = await cluster.database('at_three');
    await withClient(url, async (client) => {
      const driver = postgresMigrationDriver(client);
      expect(await migrate(POSTGRES_MIGRATIONS.slice(0, 3), driver)).toEqual([1, 2, 3]);
      expect(await migrate(POSTGRES_MIGRATIONS, driver)).toEqual(POSTGRES_MIGRATIONS.slice(3).map((m) => m.version));
    });
    expectGolden(GOLDEN, 'schema-postgres.txt', await postgresSchema(url));
  });

  it('rolls a failing migration back whole: no table of it, no version recorded', async () => {
    const url = await cluster.database('broken');
    await withClient(url, async (client) => {
      const broken = [...POSTGRES_MIGRATIONS, { version: 99, name: 'broken', sql: `CREATE TABLE half (id INTEGER); SELECT nope FROM nowhere;` }];
      await expect(migrate(broken, postgresMigrationDriver(client))).rejects.toThrow(/nowhere/);
      expect((await client.query(`SELECT to_regclass('half') AS t`)).rows[0].t).toBeNull();
      expect(await versions(client)).toHaveLength(POSTGRES_MIGRATIONS.length);
    });
  });
});
