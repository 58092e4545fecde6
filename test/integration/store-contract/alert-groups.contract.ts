import { AlertGroups, StorePorts } from '../../../src/store/ports';
import { NewEvent } from '../../../src/store/store.types';
import { StoreView, storeView } from '../../support/store';
import { OpenStore } from './harness';

/** The ports as one view (ingest, deliveries, claims) beside the groups port under test. */
type Opened = { store: StoreView; groups: AlertGroups };

const view = (ports: StorePorts): Opened => ({ store: storeView(ports), groups: ports.groups });

/**
 * The grouping behaviour both engines must have (alerting). `open` gives a fresh store; `reopen` the same database
 * again (a restart).
 */
export function alertGroupsContract(name: string, open: OpenStore) {
  describe(`AlertGroups contract: ${name}`, () => {
    let opened: Opened & { reopen: () => Promise<Opened> };
    let n = 0;
    const group = { key: 'generated_video_failed', waitMs: 30_000, intervalMs: 300_000 };

    beforeEach(async () => {
      const fresh = await open();
      opened = { ...view(fresh.ports), reopen: async () => view(await fresh.reopen()) };
    });
    afterEach(() => opened.store.close());

    const failure = (receivedAt: number, over: Partial<NewEvent> = {}): NewEvent => {
      n += 1;
      return {
        dedupeKey: `id:g${n}`, eventId: `g${n}`, event: 'generated_video_failed', timestamp: 1_700_000_000, endpoint: null, receivedAt,
        body: JSON.stringify({ event: 'generated_video_failed', data: { video_id: `v${n}` } }),
        deliveries: [{ route: 'failures', sink: 'alerts', group }, { route: 'all', sink: 'log' }], ...over,
      };
    };

    it('stores a grouped route\'s events as members of one open group, not as deliveries, due after the wait', async () => {
      const { store, groups } = opened;
      const ids = [];
      for (const at of [1_000, 2_000, 3_000]) ids.push((await store.ingest(failure(at))).id);
      const other = await store.ingest(failure(4_000, { deliveries: [{ route: 'failures', sink: 'alerts', group: { ...group, key: 'other' } }] }));
      expect((await store.getEvent(ids[0]))!.routed).toBe(2);
      expect((await store.listDeliveries({ sink: 'alerts' }))).toEqual([]);
      expect((await store.listDeliveries({ sink: 'log' }))).toHaveLength(3);
      const open = await groups.listGroups({ state: 'open' });
      expect(open.map((g) => [g.key, g.members, g.dueAt]).sort()).toEqual([['generated_video_failed', 3, 31_000], ['other', 1, 34_000]]);
      expect((await groups.listGroups({ eventPk: other.id })).map((g) => g.key)).toEqual(['other']);
      expect(await groups.nextDueAt()).toBe(31_000);
    });

    it('flushes a due group once, with one pending delivery for its first member; later events wait for the interval', async () => {
      const { store, groups } = opened;
      const first = await store.ingest(failure(1_000));
      await store.ingest(failure(2_000));
      expect(await groups.flushDue(30_999)).toEqual([]);
      const [flushed] = await groups.flushDue(31_000);
      expect(flushed).toMatchObject({ state: 'flushed', members: 2, flushedAt: 31_000 });
      expect(await groups.flushDue(31_000)).toEqual([]);
      const delivery = (await store.getDelivery(flushed.deliveryId!))!;
      expect(delivery).toMatchObject({ eventPk: first.id, route: 'failures', sink: 'alerts', status: 'pending', groupId: flushed.id });
      const claimed = await store.claimDue('alerts', 10, 31_000, 60_000);
      expect(claimed.map((d) => [d.id, d.groupId, d.event.id])).toEqual([[delivery.id, flushed.id, first.id]]);
      // after the flush: the next group of the key is due no sooner than the interval after it
      await store.ingest(failure(40_000));
      const [next] = await groups.listGroups({ state: 'open' });
      expect(next).toMatchObject({ members: 1, dueAt: 331_000 });
      // after a quiet period longer than the interval, only the wait counts
      await groups.flushDue(331_000);
      await store.ingest(failure(1_000_000));
      expect((await groups.listGroups({ state: 'open' }))[0].dueAt).toBe(1_030_000);
    });

    it('lists members in arrival order and counts them per event type', async () => {
      const { store, groups } = opened;
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push((await store.ingest(failure(1_000 + i))).id);
      await store.ingest(failure(1_010, { event: 'generated_avatar_video_failed' }));
      const [g] = await groups.flushDue(100_000);
      expect((await groups.members(g.id, 3)).map((m) => m.eventPk)).toEqual(ids.slice(0, 3));
      expect((await groups.members(g.id, 3))[0]).toMatchObject({ event: 'generated_video_failed', receivedAt: 1_000, groupId: g.id });
      expect(await groups.memberCounts(g.id)).toEqual([{ event: 'generated_video_failed', count: 5 }, { event: 'generated_avatar_video_failed', count: 1 }]);
      expect(await groups.getGroup(g.id)).toMatchObject({ members: 6, state: 'flushed' });
    });

    it('keeps an open group and its members across a restart, and flushes it once after', async () => {
      await Promise.all(Array.from({ length: 50 }, (_, i) => opened.store.ingest(failure(1_000 + i))));
      await opened.store.close();
      const again = await opened.reopen();
      opened = { ...again, reopen: opened.reopen };
      const flushed = await again.groups.flushDue(60_000);
      expect(flushed.map((g) => g.members)).toEqual([50]);
      expect(await again.groups.flushDue(60_000)).toEqual([]);
      expect(await again.store.listDeliveries({ sink: 'alerts' })).toHaveLength(1);
    });

    it('does not purge member events until their group\'s delivery is delivered', async () => {
      const { store, groups } = opened;
      const { id } = await store.ingest(failure(1_000, { deliveries: [{ route: 'failures', sink: 'alerts', group }] }));
      expect(await store.purgeDelivered(10_000_000)).toBe(0);
      await groups.flushDue(31_000);
      expect(await store.purgeDelivered(10_000_000)).toBe(0);
      const [claim] = await store.claimDue('alerts', 1, 31_000, 60_000);
      await store.settle({ delivery: claim, startedAt: 31_000, finishedAt: 31_001, result: { status: 'delivered' } });
      expect(await store.purgeDelivered(10_000_000)).toBe(1);
      expect(await store.getEvent(id)).toBeUndefined();
    });

    it('replays a dead group delivery like any other', async () => {
      const { store, groups } = opened;
      await store.ingest(failure(1_000));
      const [g] = await groups.flushDue(31_000);
      const [claim] = await store.claimDue('alerts', 1, 31_000, 60_000);
      await store.settle({ delivery: claim, startedAt: 31_000, finishedAt: 31_001, result: { status: 'dead', error: 'Slack answered 404' } });
      expect(await store.replay({ ids: [g.deliveryId!] }, 40_000)).toBe(1);
      expect(await store.getDelivery(g.deliveryId!)).toMatchObject({ status: 'pending', groupId: g.id });
    });

    it('holds events outside the active time: a group is not flushed before it opens, a plain delivery not claimed before', async () => {
      const { store, groups } = opened;
      const held = { ...group, notBefore: 500_000 };
      await store.ingest(failure(1_000, { deliveries: [{ route: 'failures', sink: 'alerts', group: held }, { route: 'all', sink: 'log', notBefore: 500_000 }] }));
      expect(await groups.nextDueAt()).toBe(500_000);
      expect(await groups.flushDue(499_999)).toEqual([]);
      expect(await store.claimDue('log', 10, 499_999, 60_000)).toEqual([]);
      expect(await store.claimDue('log', 10, 500_000, 60_000)).toHaveLength(1);
      expect((await groups.flushDue(500_000)).map((g) => g.members)).toEqual([1]);
    });

    it('pushes an open group\'s due time when a held event joins it', async () => {
      const { store, groups } = opened;
      await store.ingest(failure(1_000));
      await store.ingest(failure(2_000, { deliveries: [{ route: 'failures', sink: 'alerts', group: { ...group, notBefore: 900_000 } }] }));
      const [open] = await groups.listGroups({ state: 'open' });
      expect(open).toMatchObject({ members: 2, dueAt: 900_000 });
    });

    it('stores an empty digest once per period, and none for a period that has a group', async () => {
      const { store, groups } = opened;
      const digest = await groups.emptyDigest('alerts', '{"digest":"p1"}', 86_400_000, 86_405_000);
      expect(digest).toMatchObject({ route: '(digest)', state: 'flushed', members: 0 });
      expect(await groups.emptyDigest('alerts', '{"digest":"p1"}', 86_400_000, 86_406_000)).toBeNull();
      const delivery = (await store.getDelivery(digest!.deliveryId!))!;
      expect(delivery).toMatchObject({ route: '(digest)', sink: 'alerts', status: 'pending', groupId: digest!.id });
      expect(await store.getEvent(delivery.eventPk)).toMatchObject({ event: 'jogg-bridge.digest', dedupeKey: 'digest:alerts:{"digest":"p1"}' });
      await store.ingest(failure(1_000, { deliveries: [{ route: 'failures', sink: 'alerts', group: { ...group, key: '{"digest":"p2"}', route: '(digest)' } }] }));
      expect(await groups.emptyDigest('alerts', '{"digest":"p2"}', 2 * 86_400_000, 2 * 86_400_000 + 5_000)).toBeNull();
    });
  });
}
