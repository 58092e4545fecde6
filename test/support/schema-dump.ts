import { Database } from 'better-sqlite3';
import { Client } from 'pg';

/** The schema of a SQLite database as text: every table, index and trigger as SQLite stores its definition. */
export function sqliteSchema(db: Database): string {
  const rows = db.prepare(`SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name`).all() as { type: string; name: string; sql: string }[];
  return rows.map((r) => `${r.type} ${r.name}\n${r.sql.replace(/\s+/g, ' ').trim()}\n`).join('');
}

/** The schema of a PostgreSQL database (its current schema) as text: columns, constraints, indexes, functions. */
export async function postgresSchema(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query(sql)).rows.map((r) => Object.values(r).join(' | ')).join('\n');
    const columns = await q(`SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
                             WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`);
    const constraints = await q(`SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
                                 WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2`);
    const indexes = await q(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1, 2`);
    const functions = await q(`SELECT proname, pg_get_functiondef(oid) FROM pg_proc WHERE pronamespace = current_schema()::regnamespace ORDER BY 1`);
    return `-- columns\n${columns}\n-- constraints\n${constraints}\n-- indexes\n${indexes}\n-- functions\n${functions}\n`;
  } finally {
    await client.end();
  }
}
