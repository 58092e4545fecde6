import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database, { Database as Db } from 'better-sqlite3';

/**
 * Each connection's page cache: 2 MB, SQLite's own default. better-sqlite3 is built with 16 MB per connection,
 * which the serving process (a reader on the main thread, the writer thread, the console's reader) fills under
 * load for no measured gain: the pages it re-reads sit in the OS page cache anyway. Set before the caller's
 * pragmas, so `pragmas` can still raise it.
 */
export const PAGE_CACHE_PRAGMA = 'cache_size = -2000';

/** A connection as both threads use it: WAL with synchronous=FULL, so a committed write survives a crash. */
export function openDatabase(path: string, pragmas: readonly string[] = []): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma(PAGE_CACHE_PRAGMA);
  for (const pragma of pragmas) db.pragma(pragma);
  return db;
}
