import { Silences } from '../../../src/store/ports';
import { StoreView, storeView } from '../../support/store';
import { OpenStore } from './harness';

/** Silences and the `silenced` status, on both engines (alerting). */
export function silencesContract(name: string, open: OpenStore) {
  describe(`Silences contract: ${name}`, () => {
    let store: StoreView;
    let silences: Silences;
    beforeEach(async () => {
      const { ports } = await open();
      store = storeView(ports);
      silences = ports.silences;
    });
    afterEach(() => store.close());

    const matchers = [{ field: 'event', op: '=' as const, value: 'generated_video_failed' }, { field: 'data.error.code', op: '=' as const, value: '18020' }];

    it('adds, lists and expires silences', async () => {
      const added = await silences.addSilence({ matchers, startsAt: 1_000, endsAt: 7_201_000, comment: 'credits topped up', createdBy: 'ops' }, 1_000);
      expect(added).toMatchObject({ matchers, startsAt: 1_000, endsAt: 7_201_000, comment: 'credits topped up', createdBy: 'ops', createdAt: 1_000 });
      expect(await silences.getSilence(added.id)).toEqual(added);
      expect((await silences.listSilences({ now: 2_000 })).map((s) => s.id)).toEqual([added.id]);
      expect(await silences.expireSilence(added.id, 3_000)).toBe(true);
      expect(await silences.expireSilence(added.id, 4_000)).toBe(false);
      expect(await silences.listSilences({ now: 3_000 })).toEqual([]);
      expect(await silences.listSilences({ now: 3_000, all: true })).toEqual([{ ...added, endsAt: 3_000 }]);
      expect(await silences.expireSilence(999, 4_000)).toBe(false);
    });

    it('records a silenced delivery as silenced (not claimed), counts it, replays it, and lets its event be purged', async () => {
      const { id: silenceId } = await silences.addSilence({ matchers, startsAt: 0, endsAt: 10_000, comment: 'x', createdBy: null }, 0);
      const { id } = await store.ingest({
        dedupeKey: 'k1', event: 'generated_video_failed', timestamp: 1, endpoint: null, receivedAt: 1_000, body: '{}',
        deliveries: [{ route: 'r', sink: 'alerts', silenceId, group: { key: 'k', waitMs: 1, intervalMs: 1 } }, { route: 'r', sink: 'log' }],
      });
      const [silenced] = await store.listDeliveries({ sink: 'alerts' });
      expect(silenced).toMatchObject({ eventPk: id, status: 'silenced', silenceId, groupId: null });
      expect(await store.listDeliveries({ status: 'silenced' })).toHaveLength(1);
      expect((await store.countDeliveries()).silenced).toBe(1);
      expect(await store.claimDue('alerts', 10, 5_000, 60_000)).toEqual([]);
      expect(await store.purgeDelivered(100_000)).toBe(0); // the log delivery is pending
      const [log] = await store.claimDue('log', 1, 5_000, 60_000);
      await store.settle({ delivery: log, startedAt: 5_000, finishedAt: 5_001, result: { status: 'delivered' } });
      expect(await store.replay({ ids: [silenced.id] }, 6_000)).toBe(1);
      const [claimed] = await store.claimDue('alerts', 10, 6_000, 60_000);
      expect(claimed).toMatchObject({ id: silenced.id, status: 'pending', silenceId });
      await store.settle({ delivery: claimed, startedAt: 6_000, finishedAt: 6_001, result: { status: 'delivered' } });
      expect(await store.purgeDelivered(100_000)).toBe(1);
    });

    it('lets an event whose only deliveries were silenced be purged', async () => {
      const { id: silenceId } = await silences.addSilence({ matchers, startsAt: 0, endsAt: 10_000, comment: 'x', createdBy: null }, 0);
      await store.ingest({ dedupeKey: 'k2', event: 'e', timestamp: 1, endpoint: null, receivedAt: 1_000, body: '{}', deliveries: [{ route: 'r', sink: 'alerts', silenceId }] });
      expect(await store.purgeDelivered(100_000)).toBe(1);
    });
  });
}
