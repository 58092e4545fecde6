import { EventStore, NewEvent } from '../../src/store/event-store';

/**
 * The behaviour every EventStore adapter must have. Each adapter's spec calls this with a factory
 * that opens a fresh, empty store (and can reopen the same one).
 */
export function eventStoreContract(name: string, open: () => Promise<{ store: EventStore; reopen: () => Promise<EventStore> }>) {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let reopen: () => Promise<EventStore>;
    let n = 0;

    beforeEach(async () => {
      ({ store, reopen } = await open());
    });
    afterEach(() => store.close());

    const event = (over: Partial<NewEvent> = {}): NewEvent => {
      n += 1;
      return {
        dedupeKey: `id:e${n}`, eventId: `e${n}`, event: 'generated_video_success', timestamp: 1_700_000_000, endpoint: null,
        receivedAt: 1_000, body: `{"n":${n}}`, deliveries: [{ route: 'r', sink: 'a' }, { route: 'r', sink: 'b' }], ...over,
      };
    };

    it('stores an event with its deliveries, pending and due at once', async () => {
      const input = event();
      const { id, duplicate } = await store.ingest(input);
      expect(duplicate).toBe(false);
      expect(await store.getEvent(id)).toMatchObject({ id, dedupeKey: input.dedupeKey, eventId: input.eventId, body: input.body, routed: 2 });
      const deliveries = await store.listDeliveries({ eventPk: id });
      expect(deliveries.map((d) => [d.sink, d.status, d.attempts, d.nextAt]).sort()).toEqual([
        ['a', 'pending', 0, 1000],
        ['b', 'pending', 0, 1000],
      ]);
    });

    it('dedupes by key, also within one group commit', async () => {
      const input = event();
      const [a, b] = await Promise.all([store.ingest(input), store.ingest({ ...input, body: 'other' })]);
      expect([a.duplicate, b.duplicate]).toEqual([false, true]);
      expect(b.id).toBe(a.id);
      const c = await store.ingest(input);
      expect(c).toEqual({ id: a.id, duplicate: true });
      expect(await store.listDeliveries({ eventPk: a.id })).toHaveLength(2);
    });

    it('keeps an unrouted event with no deliveries', async () => {
      const { id } = await store.ingest(event({ deliveries: [] }));
      expect(await store.getEvent(id)).toMatchObject({ routed: 0 });
      expect(await store.listDeliveries({ eventPk: id })).toEqual([]);
    });

    it('lets concurrent ingests all commit', async () => {
      const results = await Promise.all(Array.from({ length: 200 }, () => store.ingest(event())));
      expect(new Set(results.map((r) => r.id)).size).toBe(200);
      expect((await store.countDeliveries()).pending).toBe(400);
    });

    it('sorts a group mixing new, repeated and already stored keys into one event each', async () => {
      const stored = await store.ingest(event());
      const inputs = [event(), event(), event()];
      const storedInput = { ...inputs[0], dedupeKey: (await store.getEvent(stored.id))!.dedupeKey };
      const group = [inputs[0], storedInput, inputs[1], inputs[0], inputs[2], inputs[1]];
      const results = await Promise.all(group.map((e) => store.ingest(e)));
      expect(results.map((r) => r.duplicate)).toEqual([false, true, false, true, false, true]);
      expect(results[1].id).toBe(stored.id);
      expect(results[3].id).toBe(results[0].id);
      expect(results[5].id).toBe(results[2].id);
      expect(new Set(results.map((r) => r.id)).size).toBe(4);
      for (const r of results) expect(await store.listDeliveries({ eventPk: r.id })).toHaveLength(2);
      expect((await store.countDeliveries()).pending).toBe(8);
    });

    it('claims due deliveries of one sink with a lease, oldest first, and never twice while leased', async () => {
      const first = await store.ingest(event({ receivedAt: 100 }));
      await store.ingest(event({ receivedAt: 200 }));
      await store.ingest(event({ receivedAt: 5_000 }));
      const claimed = await store.claimDue('a', 10, 1_000, 30_000);
      expect(claimed.map((d) => [d.eventPk, d.sink])).toEqual([[first.id, 'a'], [first.id + 1, 'a']]);
      expect(claimed[0].event).toMatchObject({ id: first.id, body: expect.any(String) });
      expect(await store.claimDue('a', 10, 2_000, 30_000)).toEqual([]);
      expect((await store.claimDue('a', 10, 31_000, 30_000)).map((d) => d.eventPk)).toEqual([first.id, first.id + 1, first.id + 2]);
    });

    it('respects the claim limit', async () => {
      await Promise.all(Array.from({ length: 5 }, () => store.ingest(event())));
      expect(await store.claimDue('a', 3, 1_000, 1_000)).toHaveLength(3);
      expect(await store.claimDue('a', 3, 1_000, 1_000)).toHaveLength(2);
    });

    it('settles a delivery, records the attempt, and ignores a settle whose lease was lost', async () => {
      await store.ingest(event());
      const [stale] = await store.claimDue('a', 1, 1_000, 100);
      const [fresh] = await store.claimDue('a', 1, 2_000, 100);
      expect(fresh.id).toBe(stale.id);
      expect(await store.settle({ delivery: stale, startedAt: 1_000, finishedAt: 1_050, result: { status: 'delivered' } })).toBe(false);
      expect(await store.settle({ delivery: fresh, startedAt: 2_000, finishedAt: 2_040, result: { status: 'retrying', nextAt: 9_000, error: 'HTTP 503' } })).toBe(true);
      expect(await store.getDelivery(fresh.id)).toMatchObject({ status: 'retrying', attempts: 1, nextAt: 9_000, lastError: 'HTTP 503' });
      expect(await store.claimDue('a', 1, 8_999, 100)).toEqual([]);
      const [again] = await store.claimDue('a', 1, 9_000, 100);
      expect(again.attempts).toBe(1);
      await store.settle({ delivery: again, startedAt: 9_000, finishedAt: 9_010, result: { status: 'delivered' } });
      expect(await store.getDelivery(fresh.id)).toMatchObject({ status: 'delivered', attempts: 2, lastError: null });
      expect(await store.listAttempts(fresh.id)).toEqual([
        { deliveryId: fresh.id, attempt: 1, startedAt: 2_000, durationMs: 40, outcome: 'retry', error: 'HTTP 503' },
        { deliveryId: fresh.id, attempt: 2, startedAt: 9_000, durationMs: 10, outcome: 'delivered', error: null },
      ]);
    });

    it('settles many attempts at once, each by its own outcome, refusing the one whose lease was lost', async () => {
      await Promise.all(Array.from({ length: 6 }, () => store.ingest(event())));
      const stale = (await store.claimDue('a', 1, 1_000, 100))[0];
      const claims = await store.claimDue('a', 10, 2_000, 100);
      expect(claims).toHaveLength(6);
      const outcomes = await Promise.all([
        store.settle({ delivery: stale, startedAt: 1_000, finishedAt: 1_001, result: { status: 'delivered' } }),
        ...claims.map((d, i) => store.settle({
          delivery: d, startedAt: 2_000, finishedAt: 2_000 + i,
          result: i % 3 === 0 ? { status: 'delivered' } : i % 3 === 1 ? { status: 'retrying', nextAt: 5_000, error: `e${i}` } : { status: 'dead', error: `d${i}` },
        })),
      ]);
      expect(outcomes).toEqual([false, true, true, true, true, true, true]);
      for (const [i, d] of claims.entries()) {
        const expected = i % 3 === 0 ? { status: 'delivered', lastError: null } : i % 3 === 1 ? { status: 'retrying', nextAt: 5_000, lastError: `e${i}` } : { status: 'dead', lastError: `d${i}` };
        expect(await store.getDelivery(d.id)).toMatchObject({ attempts: 1, ...expected });
        expect(await store.listAttempts(d.id)).toEqual([expect.objectContaining({ attempt: 1, durationMs: i })]);
      }
      expect(await store.settle({ delivery: claims[0], startedAt: 3_000, finishedAt: 3_001, result: { status: 'delivered' } })).toBe(false);
    });

    it('settles a batch in one call, each by its own outcome, refusing a lost lease and a second settle of one lease', async () => {
      await Promise.all(Array.from({ length: 4 }, () => store.ingest(event())));
      const stale = (await store.claimDue('a', 1, 1_000, 100))[0];
      const claims = await store.claimDue('a', 10, 2_000, 100);
      expect(claims).toHaveLength(4);
      const outcomes = await store.settleBatch([
        { delivery: stale, startedAt: 1_000, finishedAt: 1_001, result: { status: 'delivered' } },
        { delivery: claims[0], startedAt: 2_000, finishedAt: 2_010, result: { status: 'delivered' } },
        { delivery: claims[1], startedAt: 2_000, finishedAt: 2_020, result: { status: 'retrying', nextAt: 5_000, error: 'HTTP 503' } },
        { delivery: claims[2], startedAt: 2_000, finishedAt: 2_030, result: { status: 'dead', error: 'HTTP 400' } },
        { delivery: claims[3], startedAt: 2_000, finishedAt: 2_040, result: { status: 'retrying', nextAt: 2_040, error: 'down', uncounted: true } },
        { delivery: claims[0], startedAt: 2_000, finishedAt: 2_050, result: { status: 'dead', error: 'again' } },
      ]);
      expect(outcomes).toEqual([false, true, true, true, true, false]);
      expect(await store.getDelivery(claims[0].id)).toMatchObject({ status: 'delivered', attempts: 1, lastError: null });
      expect(await store.getDelivery(claims[1].id)).toMatchObject({ status: 'retrying', attempts: 1, nextAt: 5_000, lastError: 'HTTP 503' });
      expect(await store.getDelivery(claims[2].id)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'HTTP 400' });
      expect(await store.getDelivery(claims[3].id)).toMatchObject({ status: 'retrying', attempts: 1, attemptsBeforeReplay: 1 });
      expect(await store.listAttempts(claims[0].id)).toEqual([{ deliveryId: claims[0].id, attempt: 1, startedAt: 2_000, durationMs: 10, outcome: 'delivered', error: null }]);
      expect(await store.listAttempts(claims[1].id)).toEqual([{ deliveryId: claims[1].id, attempt: 1, startedAt: 2_000, durationMs: 20, outcome: 'retry', error: 'HTTP 503' }]);
      expect(await store.listAttempts(claims[2].id)).toEqual([{ deliveryId: claims[2].id, attempt: 1, startedAt: 2_000, durationMs: 30, outcome: 'dead', error: 'HTTP 400' }]);
      // settled leases are gone: the retrying ones are claimed afresh when due, the others never again
      expect((await store.claimDue('a', 10, 5_000, 100)).map((d) => d.id).sort()).toEqual([claims[1].id, claims[3].id].sort());
      expect(await store.settleBatch([])).toEqual([]);
    });

    const keyed = (key: string | null, receivedAt = 1_000) => event({ receivedAt, deliveries: [{ route: 'r', sink: 'k', orderKey: key }] });
    const claimIds = async (now: number, limit = 100) => (await store.claimDue('k', limit, now, 1_000)).map((d) => d.eventPk);

    it('claims the deliveries of one key together, in id order, and other keys alongside', async () => {
      const ids = [];
      for (const key of ['v1', 'v2', 'v1', null, 'v1']) ids.push((await store.ingest(keyed(key))).id);
      expect(await claimIds(1_000)).toEqual(ids);
      const [d] = await store.listDeliveries({ eventPk: ids[0] });
      expect(d).toMatchObject({ orderKey: 'v1', pausedMs: 0 });
    });

    it('holds a key behind its earlier delivery while that one is retrying or leased; other keys go on', async () => {
      const a1 = (await store.ingest(keyed('a'))).id;
      const b1 = (await store.ingest(keyed('b'))).id;
      const a2 = (await store.ingest(keyed('a'))).id;
      const a3 = (await store.ingest(keyed('a'))).id;
      const [first] = await store.claimDue('k', 1, 1_000, 500);
      expect(first.eventPk).toBe(a1);
      const others = await store.claimDue('k', 100, 1_100, 1_000);
      expect(others.map((d) => d.eventPk)).toEqual([b1]); // a2, a3 wait while a1 is leased
      await store.settle({ delivery: others[0], startedAt: 1_100, finishedAt: 1_110, result: { status: 'delivered' } });
      await store.settle({ delivery: first, startedAt: 1_100, finishedAt: 1_110, result: { status: 'retrying', nextAt: 5_000, error: 'HTTP 503' } });
      expect(await claimIds(4_000)).toEqual([]); // a1 retries later: a2 and a3 are held, though due
      expect(await claimIds(5_000)).toEqual([a1, a2, a3]);
    });

    it('holds a key behind an earlier delivery that an earlier claim leased and lost to its lease expiring only once it expires', async () => {
      const a1 = (await store.ingest(keyed('a'))).id;
      const a2 = (await store.ingest(keyed('a'))).id;
      expect(await claimIds(1_000, 1)).toEqual([a1]);
      expect(await claimIds(1_500)).toEqual([]);
      expect(await claimIds(2_000)).toEqual([a1, a2]); // the first lease (1 s) expired: both again, in order
    });

    it('never starves other keys behind a held key (the held ones do not use the claim limit)', async () => {
      const a1 = (await store.ingest(keyed('a'))).id;
      const [first] = await store.claimDue('k', 1, 1_000, 60_000);
      expect(first.eventPk).toBe(a1);
      for (let i = 0; i < 5; i++) await store.ingest(keyed('a'));
      const others = [(await store.ingest(keyed('b'))).id, (await store.ingest(keyed('c'))).id];
      expect(await claimIds(1_000, 2)).toEqual(others);
    });

    it('credits waiting deliveries the time their sink was open and makes retrying ones due at once when it closes', async () => {
      const early = (await store.ingest(keyed('a', 1_000))).id;
      const late = (await store.ingest(keyed('b', 30_000))).id;
      const [claim] = await store.claimDue('k', 1, 1_000, 100);
      await store.settle({ delivery: claim, startedAt: 1_000, finishedAt: 1_001, result: { status: 'retrying', nextAt: 900_000, error: 'HTTP 503' } });
      await store.openCircuit('k', 10_000);
      expect(await store.getDelivery(claim.id)).toMatchObject({ nextAt: 10_000 }); // due: the probe takes the oldest
      await store.openCircuit('k', 20_000); // the first opening stays
      expect(await store.openCircuits()).toEqual([{ sink: 'k', openedAt: 10_000 }]);
      const [probe] = await store.claimDue('k', 1, 20_000, 100);
      expect(probe.id).toBe(claim.id);
      await store.settle({ delivery: probe, startedAt: 20_000, finishedAt: 20_001, result: { status: 'retrying', nextAt: 900_000, error: 'down', uncounted: true } });
      expect(await store.getDelivery(claim.id)).toMatchObject({ attempts: 2, attemptsBeforeReplay: 1 }); // the probe used no retry
      expect(await store.closeCircuit('k', 10_000, 50_000)).toBe(2);
      expect(await store.openCircuits()).toEqual([]);
      const [e, l] = [(await store.listDeliveries({ eventPk: early }))[0], (await store.listDeliveries({ eventPk: late }))[0]];
      expect(e).toMatchObject({ status: 'retrying', nextAt: 50_000, pausedMs: 40_000 });
      expect(l).toMatchObject({ status: 'pending', nextAt: 30_000, pausedMs: 20_000 });
      expect(await claimIds(50_000)).toEqual([early, late]);
    });

    it('gives claims back at once when released with their token, and only then', async () => {
      await store.ingest(event());
      const [claim] = await store.claimDue('a', 1, 1_000, 60_000);
      expect(await store.release([{ id: claim.id, leaseToken: 'not-ours' }])).toBe(0);
      expect(await store.claimDue('a', 1, 1_001, 60_000)).toEqual([]);
      expect(await store.release([claim])).toBe(1);
      expect((await store.claimDue('a', 1, 1_002, 60_000)).map((d) => d.id)).toEqual([claim.id]);
    });

    it('replays dead letters by id, by sink and by time, keeping the attempt count and starting a fresh retry budget', async () => {
      await store.ingest(event());
      await store.ingest(event());
      const claimed = [...(await store.claimDue('a', 10, 1_000, 100)), ...(await store.claimDue('b', 10, 1_000, 100))];
      for (const [i, d] of claimed.entries()) {
        await store.settle({ delivery: d, startedAt: 1_000, finishedAt: 1_000 + i * 1000, result: { status: 'dead', error: 'HTTP 400' } });
      }
      expect((await store.countDeliveries()).dead).toBe(4);
      expect(await store.replay({ ids: [claimed[0].id] }, 10_000)).toBe(1);
      expect(await store.getDelivery(claimed[0].id)).toMatchObject({ status: 'pending', attempts: 1, attemptsBeforeReplay: 1, nextAt: 10_000 });
      const [again] = await store.claimDue('a', 1, 10_000, 100);
      expect(again).toMatchObject({ id: claimed[0].id, attempts: 1, attemptsBeforeReplay: 1 });
      await store.settle({ delivery: again, startedAt: 10_000, finishedAt: 10_001, result: { status: 'dead', error: 'HTTP 400' } });
      expect(await store.getDelivery(claimed[0].id)).toMatchObject({ status: 'dead', attempts: 2, attemptsBeforeReplay: 1 });
      expect((await store.listAttempts(claimed[0].id)).map((a) => a.attempt)).toEqual([1, 2]);
      expect(await store.replay({ ids: [claimed[0].id] }, 10_000)).toBe(1);
      expect(await store.getDelivery(claimed[0].id)).toMatchObject({ status: 'pending', attempts: 2, attemptsBeforeReplay: 2 });
      expect(await store.replay({ sink: 'b', since: 3_500 }, 10_000)).toBe(1);
      expect(await store.replay({ sink: 'a' }, 10_000)).toBe(1);
      expect(await store.replay({}, 10_000)).toBe(1);
      expect(await store.replay({}, 10_000)).toBe(0);
      expect((await store.countDeliveries()).pending).toBe(4);
    });

    it('dead-letters waiting deliveries of sinks that are no longer configured', async () => {
      const { id } = await store.ingest(event());
      expect(await store.deadLetterUnknownSinks(['a'], 5_000)).toBe(1);
      const deliveries = await store.listDeliveries({ eventPk: id, status: 'dead' });
      expect(deliveries).toEqual([expect.objectContaining({ sink: 'b', lastError: 'sink "b" is not configured' })]);
    });

    it('filters deliveries and events for listing', async () => {
      await store.ingest(event({ event: 'generated_video_failed', receivedAt: 5 }));
      await store.ingest(event({ receivedAt: 50 }));
      expect((await store.listEvents({ event: 'generated_video_failed' })).map((e) => e.event)).toEqual(['generated_video_failed']);
      expect(await store.listEvents({ since: 10 })).toHaveLength(1);
      expect(await store.listDeliveries({ sink: 'b', limit: 1 })).toHaveLength(1);
      expect(await store.listDeliveries({ status: 'dead' })).toEqual([]);
    });

    it('keeps captured endpoint secrets, a newer one per endpoint id replacing the older, until forgotten', async () => {
      await store.saveEndpointSecrets([{ endpoint: 'videos', endpointId: 'wh_1', secret: 's1' }, { endpoint: 'videos', endpointId: 'wh_2', secret: 's2' }], 1);
      await store.saveEndpointSecrets([{ endpoint: 'videos', endpointId: 'wh_1', secret: 's1b' }], 2);
      expect((await store.listEndpointSecrets()).map((s) => [s.endpointId, s.secret]).sort()).toEqual([['wh_1', 's1b'], ['wh_2', 's2']]);
      await store.forgetEndpointSecrets(['wh_1']);
      expect(await store.listEndpointSecrets()).toEqual([{ endpoint: 'videos', endpointId: 'wh_2', secret: 's2' }]);
    });

    it('records rotations in progress until they end', async () => {
      await store.saveRotation({ name: 'videos', until: 5 });
      await store.saveRotation({ name: 'videos', until: 9 });
      expect(await store.listRotations()).toEqual([{ name: 'videos', until: 9 }]);
      await store.endRotation('videos');
      expect(await store.listRotations()).toEqual([]);
    });

    it('purges old events whose deliveries are all delivered, and keeps the rest', async () => {
      const done = await store.ingest(event({ receivedAt: 10, deliveries: [{ route: 'r', sink: 'a' }] }));
      const unrouted = await store.ingest(event({ receivedAt: 10, deliveries: [] }));
      const waiting = await store.ingest(event({ receivedAt: 10, deliveries: [{ route: 'r', sink: 'b' }] }));
      const recent = await store.ingest(event({ receivedAt: 5_000, deliveries: [] }));
      const [claim] = await store.claimDue('a', 1, 20, 1000);
      await store.settle({ delivery: claim, startedAt: 20, finishedAt: 21, result: { status: 'delivered' } });
      expect(await store.purgeDelivered(1_000)).toBe(2);
      expect((await store.listEvents({})).map((e) => e.id).sort()).toEqual([waiting.id, recent.id].sort());
      expect(await store.getEvent(done.id)).toBeUndefined();
      expect(await store.getEvent(unrouted.id)).toBeUndefined();
    });

    it('grants leadership to the instance that asks first, and keeps it', async () => {
      expect(await store.acquireLeadership()).toBe(true);
      expect(await store.acquireLeadership()).toBe(true);
    });

    it('keeps everything it acknowledged across a reopen', async () => {
      const { id } = await store.ingest(event());
      await store.close();
      store = await reopen();
      expect(await store.getEvent(id)).toMatchObject({ id });
      expect(await store.listDeliveries({ eventPk: id })).toHaveLength(2);
    });
  });
}
