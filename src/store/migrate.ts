/** One step of the schema; a list of them is append only (a version, once shipped, never changes). */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** What an engine lends the runner: its bookkeeping table and its transactions (and its own kind of migration, if any). */
export interface MigrationDriver<M extends Migration = Migration> {
  /** Creates the bookkeeping table (schema_migrations) when missing and returns the versions it lists. */
  appliedVersions(): Promise<readonly number[]>;
  /** Runs the migration's SQL and records its version, name and time, in one transaction: all or nothing. */
  apply(migration: M, appliedAt: number): Promise<void>;
}

/**
 * Applies, in version order, every migration the database has not recorded yet; returns the versions applied now.
 * A failing migration leaves the database at the version before it and fails the open. The engine keeps other
 * processes out while it runs (PostgreSQL: an advisory lock; SQLite: one writer).
 */
export async function migrate<M extends Migration>(migrations: readonly M[], driver: MigrationDriver<M>, now: () => number = Date.now): Promise<number[]> {
  checkList(migrations);
  const applied = new Set(await driver.appliedVersions());
  const done: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    await driver.apply(migration, now());
    done.push(migration.version);
  }
  return done;
}

/** A list out of order or with a version twice is a programming error: refuse it before touching the database. */
function checkList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (!Number.isInteger(m.version) || m.version < 1) throw new Error(`migration "${m.name}": version ${m.version} is not a positive integer`);
    if (i > 0 && m.version <= migrations[i - 1].version) throw new Error(`migration ${m.version} "${m.name}" comes after ${migrations[i - 1].version}: versions must increase`);
  });
}
