import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSearch } from '../../src/store/console-queries';
import { planSearch, SearchBounds } from '../../src/store/console-search';
import { SqliteConsoleQueries } from '../../src/store/sqlite/sqlite-console.queries';
import { migrate } from '../../src/store/migrate';
import { openDatabase } from '../../src/store/sqlite/sqlite-connection';
import { SQLITE_MIGRATIONS, sqliteMigrationDriver } from '../../src/store/sqlite/migrations';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { seedEvents } = require('../../bench/console-seed');

const N = 1_000_000;

/**
 * The events page on a store of a million events: every query shape it sends reads an index in id order (no
 * scan of the events table, no sort of its rows), so a page costs the same with a million events as with ten.
 */
describe('console queries on 1,000,000 events (SQLite)', () => {
  let dir: string;
  let db: Database.Database;
  let queries: SqliteConsoleQueries;
  let range: { first: number; last: number };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jogg-console-1m-'));
    db = openDatabase(join(dir, 'bridge.db'), ['synchronous = OFF']);
    await migrate(SQLITE_MIGRATIONS, sqliteMigrationDriver(db));
    range = seedEvents(db, N);
    queries = new SqliteConsoleQueries(join(dir, 'bridge.db'));
  }, 120_000);

  afterAll(async () => {
    await queries?.close();
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const plan = (search: Omit<EventSearch, 'limit'>, bounds: SearchBounds = {}, event?: string): string[] => {
    const p = planSearch({ ...search, limit: 50 }, bounds, event);
    return (db.prepare(`EXPLAIN QUERY PLAN ${SqliteConsoleQueries.sql(p)}`).all({ ...p.params, limit: 50 }) as { detail: string }[]).map((r) => r.detail);
  };

  const SHAPES: [string, Omit<EventSearch, 'limit'>, SearchBounds, string | undefined][] = [
    ['older page', { before: 500_000 }, {}, undefined],
    ['event name', {}, {}, 'generated_video_failed'],
    ['event name, older page', { before: 500_000 }, {}, 'generated_video_failed'],
    ['resource id', { resource: 'vid-123456' }, {}, undefined],
    ['delivery status', { status: 'dead' }, {}, undefined],
    ['delivery status, older page', { status: 'dead', before: 500_000 }, {}, undefined],
    ['delivery status and event name', { status: 'retrying' }, {}, 'generated_video_success'],
    ['delivery status and resource id', { status: 'dead', resource: 'vid-5000' }, {}, undefined],
    ['time range', { from: 1, to: 2 }, { lowId: 100_000, highId: 200_000 }, undefined],
    ['time range and event name', { from: 1 }, { lowId: 100_000 }, 'generated_image_success'],
    ['text', { text: 'customer 42"' }, { textLow: 800_000 }, undefined],
    ['text and event name', { text: 'customer 42"' }, { textLow: 800_000 }, 'generated_video_failed'],
  ];

  it.each(SHAPES)('%s: an index, in id order, no scan of events and no sort', (_name, search, bounds, event) => {
    const details = plan(search, bounds, event);
    expect(details.some((d) => /^SEARCH (e|d) USING (COVERING )?(INDEX|INTEGER PRIMARY KEY)/.test(d))).toBe(true);
    expect(details.filter((d) => /^SCAN (e|d)\b/.test(d) || /TEMP B-TREE/.test(d))).toEqual([]);
  });

  it('the first unfiltered page walks the primary key backwards and stops at the page size (no sort)', () => {
    expect(plan({})).toEqual(['SCAN e']);
    const rows = db.prepare(`SELECT id FROM events e ORDER BY e.id DESC LIMIT 50`).all() as { id: number }[];
    expect(rows[0].id).toBe(N);
  });

  it('answers each shape correctly on the large store', async () => {
    const byResource = await queries.searchEvents({ resource: 'vid-123456', limit: 50 });
    expect(byResource.events.map((e) => e.id)).toEqual([123456]);
    expect(byResource.events[0].deliveries).toEqual({ delivered: 1 });

    const dead = await queries.searchEvents({ status: 'dead', limit: 50 });
    expect(dead.events.map((e) => e.id)).toEqual(Array.from({ length: 50 }, (_, i) => N - i * 1000));
    const deadNext = await queries.searchEvents({ status: 'dead', limit: 50, before: dead.next });
    expect(deadNext.events[0].id).toBe(N - 50 * 1000);

    const failedGlob = await queries.searchEvents({ events: ['generated_video_failed', 'generated_image_success'], limit: 50, before: 1001 });
    expect(failedGlob.events.map((e) => e.id)).toEqual(Array.from({ length: 1000 }, (_, i) => 1000 - i).filter((i) => i % 4 === 0 || i % 4 === 3).slice(0, 50));

    const window = await queries.searchEvents({ from: range.first + 9_999_000, to: range.first + 10_009_000, limit: 50 }); // ids 10,000..10,009
    expect(window.events.map((e) => e.id)).toEqual([10009, 10008, 10007, 10006, 10005, 10004, 10003, 10002, 10001, 10000]);

    const text = await queries.searchEvents({ text: 'CUSTOMER 4242"', limit: 50 });
    expect(text.events.map((e) => e.id).slice(0, 3)).toEqual([N - 5000 + 4242, N - 10000 + 4242, N - 15000 + 4242]);
    expect(text.searchedFrom).toBe(N + 1 - 200_000);
    expect(text.next).toBe(N + 1 - 200_000); // fewer than a page in this window: the next page goes on searching older ids
  });

  it('counts the overview from the received_at and state indexes', async () => {
    const now = range.last + 1;
    const hour = await queries.windowCounts(now - 3600_000);
    expect(hour.accepted).toBe(3600);
    expect(hour.deliveries.reduce((n, d) => n + d.count, 0)).toBe(3600);
    const series = await queries.series(now - 3600_000, 60_000);
    expect(series.received.reduce((a, b) => a + b, 0)).toBe(3600);
    const dead = await queries.countDeadLetters({ sink: 'crm' });
    expect(dead.count).toBe(Array.from({ length: N / 1000 }, (_, i) => (i + 1) * 1000).filter((id) => id % 3 !== 0).length);
  });
});
