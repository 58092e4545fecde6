import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database, { Database as Db } from 'better-sqlite3';

/** A connection as both threads use it: WAL with synchronous=FULL, so a committed write survives a crash. */
export function openDatabase(path: string, pragmas: readonly string[] = []): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  for (const pragma of pragmas) db.pragma(pragma);
  return db;
}
