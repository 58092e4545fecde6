import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './sqlite-connection';
import { SqliteConsoleQueries } from './sqlite-console.queries';

const dir = mkdtempSync(join(tmpdir(), 'jogg-conn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cacheSize = (db: { pragma(source: string, options: { simple: true }): unknown }) => db.pragma('cache_size', { simple: true });

describe('SQLite connections', () => {
  it('keep a 2 MB page cache (better-sqlite3 builds SQLite with 16 MB per connection)', () => {
    const db = openDatabase(join(dir, 'a.db'));
    expect(cacheSize(db)).toBe(-2000);
    db.close();
  });

  it('let the caller\'s pragmas set another size', () => {
    const db = openDatabase(join(dir, 'b.db'), ['cache_size = -8000']);
    expect(cacheSize(db)).toBe(-8000);
    db.close();
  });

  it('give the console\'s read-only connection the same page cache', () => {
    openDatabase(join(dir, 'c.db')).close();
    const queries = new SqliteConsoleQueries(join(dir, 'c.db'));
    const db = (queries as unknown as { db: { pragma(source: string, options: { simple: true }): unknown; close(): void } }).db;
    expect(cacheSize(db)).toBe(-2000);
    db.close();
  });
});
