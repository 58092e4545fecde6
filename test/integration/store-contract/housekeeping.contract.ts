import { OpenStore, useStore, event } from './harness';

/** What every Housekeeping adapter must do; each engine's spec runs it. */
export function housekeepingContract(engine: string, open: OpenStore): void {
  describe(`Housekeeping contract: ${engine}`, () => {
    const s = useStore(open);

    it('purges old events whose deliveries are all delivered, and keeps the rest', async () => {
      const done = await s.inbox.ingest(event({ receivedAt: 10, deliveries: [{ route: 'r', sink: 'a' }] }));
      const unrouted = await s.inbox.ingest(event({ receivedAt: 10, deliveries: [] }));
      const waiting = await s.inbox.ingest(event({ receivedAt: 10, deliveries: [{ route: 'r', sink: 'b' }] }));
      const recent = await s.inbox.ingest(event({ receivedAt: 5_000, deliveries: [] }));
      const [claim] = await s.queue.claimDue('a', 1, 20, 1000);
      await s.queue.settle({ delivery: claim, startedAt: 20, finishedAt: 21, result: { status: 'delivered' } });
      expect(await s.housekeeping.purgeDelivered(1_000)).toBe(2);
      expect((await s.inbox.listEvents({})).map((e) => e.id).sort()).toEqual([waiting.id, recent.id].sort());
      expect(await s.inbox.getEvent(done.id)).toBeUndefined();
      expect(await s.inbox.getEvent(unrouted.id)).toBeUndefined();
    });

    it('answers a ping on a writable store, again and again (the heartbeat row is upserted)', async () => {
      await expect(s.housekeeping.ping()).resolves.toBeUndefined();
      await expect(s.housekeeping.ping()).resolves.toBeUndefined();
    });
  });
}
