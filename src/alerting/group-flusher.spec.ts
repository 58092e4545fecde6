import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '../common/clock';
import { BridgeConfigService } from '../config/bridge-config.service';
import { parseConfig } from '../config/config.loader';
import { AlertGroups } from '../store/ports';
import { openSqliteStore } from '../store/sqlite/sqlite-store';
import { StoreView, storeView } from '../../test/support/store';
import { GroupFlusher } from './group-flusher.service';

class FakeClock extends Clock {
  constructor(public at: number) {
    super();
  }
  override now(): number {
    return this.at;
  }
}

describe('GroupFlusher', () => {
  let dir: string;
  let store: StoreView & { groups: AlertGroups };
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jogg-flusher-'));
    const ports = await openSqliteStore(join(dir, 'b.db'), { owner: true });
    store = Object.assign(storeView(ports), { groups: ports.groups });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('closes a group when its wait is over, not before, and says when to look again', async () => {
    const clock = new FakeClock(1_000);
    const flusher = new GroupFlusher(store.groups, clock, { current: parseConfig('routes: []', 'bridge.yaml', {}) } as BridgeConfigService);
    const group = { key: 'k', waitMs: 30_000, intervalMs: 300_000 };
    for (let i = 0; i < 3; i++) {
      await store.ingest({ dedupeKey: `k${i}`, event: 'generated_video_failed', timestamp: 1, endpoint: null, receivedAt: 1_000 + i, body: '{}', deliveries: [{ route: 'r', sink: 's', group }] });
    }
    expect(await flusher.flushNow()).toBe(1_000); // due in 30 s: look again within the poll
    clock.at = 30_990;
    expect(await flusher.flushNow()).toBe(10);
    expect(await store.listDeliveries({ sink: 's' })).toEqual([]);
    clock.at = 31_000;
    await flusher.flushNow();
    const [delivery] = await store.listDeliveries({ sink: 's' });
    expect(delivery).toMatchObject({ status: 'pending', groupId: 1 });
    expect(await store.groups.getGroup(1)).toMatchObject({ state: 'flushed', members: 3, flushedAt: 31_000 });
  });
});
