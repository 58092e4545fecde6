import { OpenStore, useStore, event } from './harness';

/** What every EventInbox adapter must do; each engine's spec runs it. */
export function eventInboxContract(engine: string, open: OpenStore): void {
  describe(`EventInbox contract: ${engine}`, () => {
    const s = useStore(open);

    it('stores an event with its deliveries, pending and due at once', async () => {
      const input = event();
      const { id, duplicate } = await s.inbox.ingest(input);
      expect(duplicate).toBe(false);
      expect(await s.inbox.getEvent(id)).toMatchObject({ id, dedupeKey: input.dedupeKey, eventId: input.eventId, body: input.body, routed: 2 });
      const deliveries = await s.queue.listDeliveries({ eventPk: id });
      expect(deliveries.map((d) => [d.sink, d.status, d.attempts, d.nextAt]).sort()).toEqual([
        ['a', 'pending', 0, 1000],
        ['b', 'pending', 0, 1000],
      ]);
    });

    it('dedupes by key, also within one group commit', async () => {
      const input = event();
      const [a, b] = await Promise.all([s.inbox.ingest(input), s.inbox.ingest({ ...input, body: 'other' })]);
      expect([a.duplicate, b.duplicate]).toEqual([false, true]);
      expect(b.id).toBe(a.id);
      const c = await s.inbox.ingest(input);
      expect(c).toEqual({ id: a.id, duplicate: true });
      expect(await s.queue.listDeliveries({ eventPk: a.id })).toHaveLength(2);
    });

    it('keeps an unrouted event with no deliveries', async () => {
      const { id } = await s.inbox.ingest(event({ deliveries: [] }));
      expect(await s.inbox.getEvent(id)).toMatchObject({ routed: 0 });
      expect(await s.queue.listDeliveries({ eventPk: id })).toEqual([]);
    });

    it('lets concurrent ingests all commit', async () => {
      const results = await Promise.all(Array.from({ length: 200 }, () => s.inbox.ingest(event())));
      expect(new Set(results.map((r) => r.id)).size).toBe(200);
      expect((await s.queue.countDeliveries()).pending).toBe(400);
    });

    it('sorts a group mixing new, repeated and already stored keys into one event each', async () => {
      const stored = await s.inbox.ingest(event());
      const inputs = [event(), event(), event()];
      const storedInput = { ...inputs[0], dedupeKey: (await s.inbox.getEvent(stored.id))!.dedupeKey };
      const group = [inputs[0], storedInput, inputs[1], inputs[0], inputs[2], inputs[1]];
      const results = await Promise.all(group.map((e) => s.inbox.ingest(e)));
      expect(results.map((r) => r.duplicate)).toEqual([false, true, false, true, false, true]);
      expect(results[1].id).toBe(stored.id);
      expect(results[3].id).toBe(results[0].id);
      expect(results[5].id).toBe(results[2].id);
      expect(new Set(results.map((r) => r.id)).size).toBe(4);
      for (const r of results) expect(await s.queue.listDeliveries({ eventPk: r.id })).toHaveLength(2);
      expect((await s.queue.countDeliveries()).pending).toBe(8);
    });

    it('filters events for listing', async () => {
      await s.inbox.ingest(event({ event: 'generated_video_failed', receivedAt: 5 }));
      await s.inbox.ingest(event({ receivedAt: 50 }));
      expect((await s.inbox.listEvents({ event: 'generated_video_failed' })).map((e) => e.event)).toEqual(['generated_video_failed']);
      expect(await s.inbox.listEvents({ since: 10 })).toHaveLength(1);
    });

    it('hand-off: a delivery given leaseUntil is stored leased and comes back claimed, as a claim would return it', async () => {
      const input = event({ receivedAt: 1_000, deliveries: [{ route: 'r', sink: 'a', leaseUntil: 31_000 }, { route: 'r', sink: 'b' }] });
      const { id, claimed } = await s.inbox.ingest(input);
      expect(claimed).toHaveLength(1);
      // no claim gets it while leased: only b's is claimable
      expect(await s.queue.claimDue('a', 10, 2_000, 1_000)).toEqual([]);
      const [b] = await s.queue.claimDue('b', 10, 2_000, 1_000);
      expect(b.eventPk).toBe(id);
      // the claimed delivery is the one a claim returns once the lease ran out (apart from the token)
      const [later] = await s.queue.claimDue('a', 10, 31_000, 1_000);
      expect({ ...claimed![0], leaseToken: 'x' }).toEqual({ ...later, leaseToken: 'x' });
    });

    it('hand-off: the handed-off claim settles with its token; released, it is claimable at once', async () => {
      const [first, second] = await Promise.all([1, 2].map(() => s.inbox.ingest(event({ deliveries: [{ route: 'r', sink: 'a', leaseUntil: 60_000 }] }))));
      expect(first.claimed![0].leaseToken).toEqual(expect.any(String));
      expect(await s.queue.settle({ delivery: first.claimed![0], startedAt: 1_000, finishedAt: 1_010, result: { status: 'delivered' } })).toBe(true);
      expect(await s.queue.getDelivery(first.claimed![0].id)).toMatchObject({ status: 'delivered', attempts: 1 });
      expect(await s.queue.listAttempts(first.claimed![0].id)).toEqual([expect.objectContaining({ attempt: 1, outcome: 'delivered' })]);
      expect(await s.queue.release(second.claimed!)).toBe(1);
      expect((await s.queue.claimDue('a', 10, 2_000, 1_000)).map((d) => d.id)).toEqual([second.claimed![0].id]);
    });

    it('hand-off: never for a keyed, grouped, silenced or held delivery, nor for a duplicate', async () => {
      const lease = { leaseUntil: 60_000 };
      const held = await s.inbox.ingest(event({ deliveries: [
        { route: 'r', sink: 'a', orderKey: 'k1', ...lease },
        { route: 'r', sink: 'b', notBefore: 5_000, ...lease },
        { route: 'r', sink: 'c', silenceId: 1, ...lease },
        { route: 'r', sink: 'd', group: { key: 'g', waitMs: 30_000, intervalMs: 300_000 }, ...lease },
      ] }));
      expect(held.claimed ?? []).toEqual([]);
      expect((await s.queue.claimDue('a', 10, 2_000, 1_000)).map((d) => d.eventPk)).toEqual([held.id]);
      expect((await s.queue.claimDue('b', 10, 5_000, 1_000)).map((d) => d.eventPk)).toEqual([held.id]);
      const input = event({ deliveries: [{ route: 'r', sink: 'a', ...lease }] });
      expect((await s.inbox.ingest(input)).claimed).toHaveLength(1);
      expect((await s.inbox.ingest({ ...input })).claimed ?? []).toEqual([]);
    });

    it('keeps everything it acknowledged across a reopen', async () => {
      const { id } = await s.inbox.ingest(event());
      await s.reopen();
      expect(await s.inbox.getEvent(id)).toMatchObject({ id });
      expect(await s.queue.listDeliveries({ eventPk: id })).toHaveLength(2);
    });
  });
}
