import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expectGolden } from '../../../test/support/golden';
import { sqliteSchema } from '../../../test/support/schema-dump';
import { migrate } from '../migrate';
import { SQLITE_MIGRATIONS, sqliteMigrationDriver } from './migrations';
import { openSqliteStore } from './sqlite-store';

const GOLDEN = join(__dirname, '..', '..', '..', 'test', 'golden');
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jogg-migrate-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const versions = (db: Database.Database) => db.prepare(`SELECT version, name, applied_at FROM schema_migrations ORDER BY version`).all();

describe('SQLite migrations through the shared runner', () => {
  it('creates a fresh database at the latest version, exactly as the golden schema says (test/golden/schema-sqlite.txt)', async () => {
    const path = join(dir, 'b.db');
    await (await openSqliteStore(path)).close();
    const db = new Database(path);
    expectGolden(GOLDEN, 'schema-sqlite.txt', sqliteSchema(db));
    expect(versions(db).map((r) => (r as { version: number }).version)).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
    db.close();
  });

  it('opens a database already at the latest version without changing it', async () => {
    const path = join(dir, 'b.db');
    await (await openSqliteStore(path)).close();
    const db = new Database(path);
    const [schema, recorded] = [sqliteSchema(db), versions(db)];
    db.close();
    const ports = await openSqliteStore(path, { owner: true });
    await ports.close();
    const after = new Database(path);
    expect(sqliteSchema(after)).toBe(schema);
    expect(versions(after)).toEqual(recorded);
    after.close();
  });

  it('brings a database at version 3 up to the latest, applying 4 onwards only, to the same schema as a fresh one', async () => {
    const db = new Database(join(dir, 'old.db'));
    expect(await migrate(SQLITE_MIGRATIONS.slice(0, 3), sqliteMigrationDriver(db))).toEqual([1, 2, 3]);
    expect(await migrate(SQLITE_MIGRATIONS, sqliteMigrationDriver(db))).toEqual(SQLITE_MIGRATIONS.slice(3).map((m) => m.version));
    expectGolden(GOLDEN, 'schema-sqlite.txt', sqliteSchema(db));
    db.close();
  });

  it('rolls a failing migration back whole: no table of it, no version recorded, and the open fails', async () => {
    const db = new Database(join(dir, 'b.db'));
    const broken = [...SQLITE_MIGRATIONS, { version: 99, name: 'broken', sql: `CREATE TABLE half (id INTEGER); SELECT nope FROM nowhere;` }];
    // matched by message: in a test worker that loaded better-sqlite3 for an earlier file, its errors come from that
    // file's realm and are no `instanceof Error` here, which toThrow requires
    await expect(migrate(broken, sqliteMigrationDriver(db))).rejects.toMatchObject({ message: expect.stringMatching(/nowhere/) });
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).all()).toEqual([]);
    expect(versions(db)).toHaveLength(SQLITE_MIGRATIONS.length);
    db.close();
  });
});
