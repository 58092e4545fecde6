import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeContract } from '../../../test/integration/store-contract';
import { StoreUnavailableError } from '../store.types';
import { openSqliteStore } from './sqlite-store';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

storeContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jogg-store-'));
  dirs.push(dir);
  const path = join(dir, 'bridge.db');
  return { ports: await openSqliteStore(path, { owner: true }), reopen: () => openSqliteStore(path, { owner: true }) };
});

describe('SQLite engine specifics', () => {
  it('commits writes that queue up during a commit together (group commit)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jogg-store-'));
    dirs.push(dir);
    const store = await openSqliteStore(join(dir, 'b.db'));
    const base = { eventId: undefined, event: 'e', timestamp: 1, endpoint: null, receivedAt: 1, body: '{}', deliveries: [] };
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.inbox.ingest({ ...base, dedupeKey: `k${i}` })));
    expect(store.engine.stats).toEqual({ batches: 1, writes: 50 });
    await store.close();
  });

  it('a checkpointer thread keeps the WAL short: writes restart it from the start instead of growing it to 1,000 pages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jogg-store-'));
    dirs.push(dir);
    const path = join(dir, 'b.db');
    const store = await openSqliteStore(path, { owner: true });
    const body = JSON.stringify({ pad: 'x'.repeat(2_000) });
    const base = { eventId: undefined, event: 'e', timestamp: 1, endpoint: null, receivedAt: 1, body, deliveries: [{ route: 'r', sink: 's' }] };
    // about 8 MB of rows in 40 commits, a checkpoint interval apart: without the checkpointer the WAL grows to SQLite's
    // 1,000-page threshold (4 MB) before the committing writer copies it
    for (let batch = 0; batch < 40; batch++) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => store.inbox.ingest({ ...base, dedupeKey: `k${batch}-${i}` })));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    // the WAL file keeps its largest size: it never held more than a few commits
    expect(statSync(`${path}-wal`).size).toBeLessThan(2 * 1024 * 1024);
    expect((await store.inbox.listEvents({ limit: 5000 })).length).toBe(4000);
    await store.close();
  });

  it('fails only the bad write of a group, committing the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jogg-store-'));
    dirs.push(dir);
    const store = await openSqliteStore(join(dir, 'b.db'));
    const base = { event: 'e', timestamp: 1, endpoint: null, receivedAt: 1, body: '{}' };
    const bad = { ...base, dedupeKey: 'bad', deliveries: [{ route: 'r', sink: null as unknown as string }] };
    const [a, b, c] = await Promise.allSettled([
      store.inbox.ingest({ ...base, dedupeKey: 'a', deliveries: [{ route: 'r', sink: 's' }] }),
      store.inbox.ingest(bad),
      store.inbox.ingest({ ...base, dedupeKey: 'c', deliveries: [] }),
    ]);
    expect([a.status, b.status, c.status]).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((b as PromiseRejectedResult).reason.message).toMatch(/NOT NULL/);
    expect((await store.inbox.listEvents({})).map((e) => e.dedupeKey).sort()).toEqual(['a', 'c']);
    await store.close();
  });

  it('releases leases left by a previous run when it opens as the owner', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jogg-store-'));
    dirs.push(dir);
    const path = join(dir, 'b.db');
    const first = await openSqliteStore(path, { owner: true });
    await first.inbox.ingest({ dedupeKey: 'k', event: 'e', timestamp: 1, endpoint: null, receivedAt: 1, body: '{}', deliveries: [{ route: 'r', sink: 's' }] });
    expect(await first.queue.claimDue('s', 1, 10, 60_000)).toHaveLength(1);
    await first.close();
    const tool = await openSqliteStore(path);
    expect(await tool.queue.claimDue('s', 1, 20, 60_000)).toHaveLength(0);
    await tool.close();
    const second = await openSqliteStore(path, { owner: true });
    expect(await second.queue.claimDue('s', 1, 20, 60_000)).toHaveLength(1);
    await second.close();
  });

  it('rejects writes with StoreUnavailableError when the database cannot grow, and keeps serving reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jogg-store-'));
    dirs.push(dir);
    const path = join(dir, 'b.db');
    await (await openSqliteStore(path)).close();
    const full = await openSqliteStore(path, { pragmas: ['max_page_count = 12'] });
    const big = (i: number) => ({ dedupeKey: `k${i}`, event: 'e', timestamp: 1, endpoint: null, receivedAt: 1, body: 'x'.repeat(8000), deliveries: [] });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => full.inbox.ingest(big(i))));
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(failed.length).toBeGreaterThan(0);
    failed.forEach((r) => expect(r.reason).toBeInstanceOf(StoreUnavailableError));
    expect(failed[0].reason.message).toMatch(/full/i);
    await expect(full.inbox.listEvents({})).resolves.toEqual(expect.any(Array));
    await full.close();
    const roomy = await openSqliteStore(path);
    await expect(roomy.inbox.ingest(big(100))).resolves.toMatchObject({ duplicate: false });
    await roomy.close();
  });
});
