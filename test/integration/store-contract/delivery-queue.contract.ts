import { OpenStore, useStore, event, keyed, claimIds } from './harness';

/** What every DeliveryQueue adapter must do; each engine's spec runs it. */
export function deliveryQueueContract(engine: string, open: OpenStore): void {
  describe(`DeliveryQueue contract: ${engine}`, () => {
    const s = useStore(open);

    it('claims due deliveries of one sink with a lease, oldest first, and never twice while leased', async () => {
      const first = await s.inbox.ingest(event({ receivedAt: 100 }));
      await s.inbox.ingest(event({ receivedAt: 200 }));
      await s.inbox.ingest(event({ receivedAt: 5_000 }));
      const claimed = await s.queue.claimDue('a', 10, 1_000, 30_000);
      expect(claimed.map((d) => [d.eventPk, d.sink])).toEqual([[first.id, 'a'], [first.id + 1, 'a']]);
      expect(claimed[0].event).toMatchObject({ id: first.id, body: expect.any(String) });
      expect(await s.queue.claimDue('a', 10, 2_000, 30_000)).toEqual([]);
      expect((await s.queue.claimDue('a', 10, 31_000, 30_000)).map((d) => d.eventPk)).toEqual([first.id, first.id + 1, first.id + 2]);
    });

    it('respects the claim limit', async () => {
      await Promise.all(Array.from({ length: 5 }, () => s.inbox.ingest(event())));
      expect(await s.queue.claimDue('a', 3, 1_000, 1_000)).toHaveLength(3);
      expect(await s.queue.claimDue('a', 3, 1_000, 1_000)).toHaveLength(2);
    });

    it('settles a delivery, records the attempt, and ignores a settle whose lease was lost', async () => {
      await s.inbox.ingest(event());
      const [stale] = await s.queue.claimDue('a', 1, 1_000, 100);
      const [fresh] = await s.queue.claimDue('a', 1, 2_000, 100);
      expect(fresh.id).toBe(stale.id);
      expect(await s.queue.settle({ delivery: stale, startedAt: 1_000, finishedAt: 1_050, result: { status: 'delivered' } })).toBe(false);
      expect(await s.queue.settle({ delivery: fresh, startedAt: 2_000, finishedAt: 2_040, result: { status: 'retrying', nextAt: 9_000, error: 'HTTP 503' } })).toBe(true);
      expect(await s.queue.getDelivery(fresh.id)).toMatchObject({ status: 'retrying', attempts: 1, nextAt: 9_000, lastError: 'HTTP 503' });
      expect(await s.queue.claimDue('a', 1, 8_999, 100)).toEqual([]);
      const [again] = await s.queue.claimDue('a', 1, 9_000, 100);
      expect(again.attempts).toBe(1);
      await s.queue.settle({ delivery: again, startedAt: 9_000, finishedAt: 9_010, result: { status: 'delivered' } });
      expect(await s.queue.getDelivery(fresh.id)).toMatchObject({ status: 'delivered', attempts: 2, lastError: null });
      expect(await s.queue.listAttempts(fresh.id)).toEqual([
        { deliveryId: fresh.id, attempt: 1, startedAt: 2_000, durationMs: 40, outcome: 'retry', error: 'HTTP 503' },
        { deliveryId: fresh.id, attempt: 2, startedAt: 9_000, durationMs: 10, outcome: 'delivered', error: null },
      ]);
    });

    it('settles many attempts at once, each by its own outcome, refusing the one whose lease was lost', async () => {
      await Promise.all(Array.from({ length: 6 }, () => s.inbox.ingest(event())));
      const stale = (await s.queue.claimDue('a', 1, 1_000, 100))[0];
      const claims = await s.queue.claimDue('a', 10, 2_000, 100);
      expect(claims).toHaveLength(6);
      const outcomes = await Promise.all([
        s.queue.settle({ delivery: stale, startedAt: 1_000, finishedAt: 1_001, result: { status: 'delivered' } }),
        ...claims.map((d, i) => s.queue.settle({
          delivery: d, startedAt: 2_000, finishedAt: 2_000 + i,
          result: i % 3 === 0 ? { status: 'delivered' } : i % 3 === 1 ? { status: 'retrying', nextAt: 5_000, error: `e${i}` } : { status: 'dead', error: `d${i}` },
        })),
      ]);
      expect(outcomes).toEqual([false, true, true, true, true, true, true]);
      for (const [i, d] of claims.entries()) {
        const expected = i % 3 === 0 ? { status: 'delivered', lastError: null } : i % 3 === 1 ? { status: 'retrying', nextAt: 5_000, lastError: `e${i}` } : { status: 'dead', lastError: `d${i}` };
        expect(await s.queue.getDelivery(d.id)).toMatchObject({ attempts: 1, ...expected });
        expect(await s.queue.listAttempts(d.id)).toEqual([expect.objectContaining({ attempt: 1, durationMs: i })]);
      }
      expect(await s.queue.settle({ delivery: claims[0], startedAt: 3_000, finishedAt: 3_001, result: { status: 'delivered' } })).toBe(false);
    });

    it('settles a batch in one call, each by its own outcome, refusing a lost lease and a second settle of one lease', async () => {
      await Promise.all(Array.from({ length: 4 }, () => s.inbox.ingest(event())));
      const stale = (await s.queue.claimDue('a', 1, 1_000, 100))[0];
      const claims = await s.queue.claimDue('a', 10, 2_000, 100);
      expect(claims).toHaveLength(4);
      const outcomes = await s.queue.settleBatch([
        { delivery: stale, startedAt: 1_000, finishedAt: 1_001, result: { status: 'delivered' } },
        { delivery: claims[0], startedAt: 2_000, finishedAt: 2_010, result: { status: 'delivered' } },
        { delivery: claims[1], startedAt: 2_000, finishedAt: 2_020, result: { status: 'retrying', nextAt: 5_000, error: 'HTTP 503' } },
        { delivery: claims[2], startedAt: 2_000, finishedAt: 2_030, result: { status: 'dead', error: 'HTTP 400' } },
        { delivery: claims[3], startedAt: 2_000, finishedAt: 2_040, result: { status: 'retrying', nextAt: 2_040, error: 'down', uncounted: true } },
        { delivery: claims[0], startedAt: 2_000, finishedAt: 2_050, result: { status: 'dead', error: 'again' } },
      ]);
      expect(outcomes).toEqual([false, true, true, true, true, false]);
      expect(await s.queue.getDelivery(claims[0].id)).toMatchObject({ status: 'delivered', attempts: 1, lastError: null });
      expect(await s.queue.getDelivery(claims[1].id)).toMatchObject({ status: 'retrying', attempts: 1, nextAt: 5_000, lastError: 'HTTP 503' });
      expect(await s.queue.getDelivery(claims[2].id)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'HTTP 400' });
      expect(await s.queue.getDelivery(claims[3].id)).toMatchObject({ status: 'retrying', attempts: 1, attemptsBeforeReplay: 1 });
      expect(await s.queue.listAttempts(claims[0].id)).toEqual([{ deliveryId: claims[0].id, attempt: 1, startedAt: 2_000, durationMs: 10, outcome: 'delivered', error: null }]);
      expect(await s.queue.listAttempts(claims[1].id)).toEqual([{ deliveryId: claims[1].id, attempt: 1, startedAt: 2_000, durationMs: 20, outcome: 'retry', error: 'HTTP 503' }]);
      expect(await s.queue.listAttempts(claims[2].id)).toEqual([{ deliveryId: claims[2].id, attempt: 1, startedAt: 2_000, durationMs: 30, outcome: 'dead', error: 'HTTP 400' }]);
      // settled leases are gone: the retrying ones are claimed afresh when due, the others never again
      expect((await s.queue.claimDue('a', 10, 5_000, 100)).map((d) => d.id).sort()).toEqual([claims[1].id, claims[3].id].sort());
      expect(await s.queue.settleBatch([])).toEqual([]);
    });

    it('claims the deliveries of one key together, in id order, and other keys alongside', async () => {
      const ids = [];
      for (const key of ['v1', 'v2', 'v1', null, 'v1']) ids.push((await s.inbox.ingest(keyed(key))).id);
      expect(await claimIds(s, 1_000)).toEqual(ids);
      const [d] = await s.queue.listDeliveries({ eventPk: ids[0] });
      expect(d).toMatchObject({ orderKey: 'v1', pausedMs: 0 });
    });

    it('holds a key behind its earlier delivery while that one is retrying or leased; other keys go on', async () => {
      const a1 = (await s.inbox.ingest(keyed('a'))).id;
      const b1 = (await s.inbox.ingest(keyed('b'))).id;
      const a2 = (await s.inbox.ingest(keyed('a'))).id;
      const a3 = (await s.inbox.ingest(keyed('a'))).id;
      const [first] = await s.queue.claimDue('k', 1, 1_000, 500);
      expect(first.eventPk).toBe(a1);
      const others = await s.queue.claimDue('k', 100, 1_100, 1_000);
      expect(others.map((d) => d.eventPk)).toEqual([b1]); // a2, a3 wait while a1 is leased
      await s.queue.settle({ delivery: others[0], startedAt: 1_100, finishedAt: 1_110, result: { status: 'delivered' } });
      await s.queue.settle({ delivery: first, startedAt: 1_100, finishedAt: 1_110, result: { status: 'retrying', nextAt: 5_000, error: 'HTTP 503' } });
      expect(await claimIds(s, 4_000)).toEqual([]); // a1 retries later: a2 and a3 are held, though due
      expect(await claimIds(s, 5_000)).toEqual([a1, a2, a3]);
    });

    it('holds a key behind an earlier delivery that an earlier claim leased and lost to its lease expiring only once it expires', async () => {
      const a1 = (await s.inbox.ingest(keyed('a'))).id;
      const a2 = (await s.inbox.ingest(keyed('a'))).id;
      expect(await claimIds(s, 1_000, 1)).toEqual([a1]);
      expect(await claimIds(s, 1_500)).toEqual([]);
      expect(await claimIds(s, 2_000)).toEqual([a1, a2]); // the first lease (1 s) expired: both again, in order
    });

    it('never starves other keys behind a held key (the held ones do not use the claim limit)', async () => {
      const a1 = (await s.inbox.ingest(keyed('a'))).id;
      const [first] = await s.queue.claimDue('k', 1, 1_000, 60_000);
      expect(first.eventPk).toBe(a1);
      for (let i = 0; i < 5; i++) await s.inbox.ingest(keyed('a'));
      const others = [(await s.inbox.ingest(keyed('b'))).id, (await s.inbox.ingest(keyed('c'))).id];
      expect(await claimIds(s, 1_000, 2)).toEqual(others);
    });

    it('credits waiting deliveries the time their sink was open and makes retrying ones due at once when it closes', async () => {
      const early = (await s.inbox.ingest(keyed('a', 1_000))).id;
      const late = (await s.inbox.ingest(keyed('b', 30_000))).id;
      const [claim] = await s.queue.claimDue('k', 1, 1_000, 100);
      await s.queue.settle({ delivery: claim, startedAt: 1_000, finishedAt: 1_001, result: { status: 'retrying', nextAt: 900_000, error: 'HTTP 503' } });
      await s.queue.openCircuit('k', 10_000);
      expect(await s.queue.getDelivery(claim.id)).toMatchObject({ nextAt: 10_000 }); // due: the probe takes the oldest
      await s.queue.openCircuit('k', 20_000); // the first opening stays
      expect(await s.queue.openCircuits()).toEqual([{ sink: 'k', openedAt: 10_000 }]);
      const [probe] = await s.queue.claimDue('k', 1, 20_000, 100);
      expect(probe.id).toBe(claim.id);
      await s.queue.settle({ delivery: probe, startedAt: 20_000, finishedAt: 20_001, result: { status: 'retrying', nextAt: 900_000, error: 'down', uncounted: true } });
      expect(await s.queue.getDelivery(claim.id)).toMatchObject({ attempts: 2, attemptsBeforeReplay: 1 }); // the probe used no retry
      expect(await s.queue.closeCircuit('k', 10_000, 50_000)).toBe(2);
      expect(await s.queue.openCircuits()).toEqual([]);
      const [e, l] = [(await s.queue.listDeliveries({ eventPk: early }))[0], (await s.queue.listDeliveries({ eventPk: late }))[0]];
      expect(e).toMatchObject({ status: 'retrying', nextAt: 50_000, pausedMs: 40_000 });
      expect(l).toMatchObject({ status: 'pending', nextAt: 30_000, pausedMs: 20_000 });
      expect(await claimIds(s, 50_000)).toEqual([early, late]);
    });

    it('gives claims back at once when released with their token, and only then', async () => {
      await s.inbox.ingest(event());
      const [claim] = await s.queue.claimDue('a', 1, 1_000, 60_000);
      expect(await s.queue.release([{ id: claim.id, leaseToken: 'not-ours' }])).toBe(0);
      expect(await s.queue.claimDue('a', 1, 1_001, 60_000)).toEqual([]);
      expect(await s.queue.release([claim])).toBe(1);
      expect((await s.queue.claimDue('a', 1, 1_002, 60_000)).map((d) => d.id)).toEqual([claim.id]);
    });

    it('replays dead letters by id, by sink and by time, keeping the attempt count and starting a fresh retry budget', async () => {
      await s.inbox.ingest(event());
      await s.inbox.ingest(event());
      const claimed = [...(await s.queue.claimDue('a', 10, 1_000, 100)), ...(await s.queue.claimDue('b', 10, 1_000, 100))];
      for (const [i, d] of claimed.entries()) {
        await s.queue.settle({ delivery: d, startedAt: 1_000, finishedAt: 1_000 + i * 1000, result: { status: 'dead', error: 'HTTP 400' } });
      }
      expect((await s.queue.countDeliveries()).dead).toBe(4);
      expect(await s.queue.replay({ ids: [claimed[0].id] }, 10_000)).toBe(1);
      expect(await s.queue.getDelivery(claimed[0].id)).toMatchObject({ status: 'pending', attempts: 1, attemptsBeforeReplay: 1, nextAt: 10_000 });
      const [again] = await s.queue.claimDue('a', 1, 10_000, 100);
      expect(again).toMatchObject({ id: claimed[0].id, attempts: 1, attemptsBeforeReplay: 1 });
      await s.queue.settle({ delivery: again, startedAt: 10_000, finishedAt: 10_001, result: { status: 'dead', error: 'HTTP 400' } });
      expect(await s.queue.getDelivery(claimed[0].id)).toMatchObject({ status: 'dead', attempts: 2, attemptsBeforeReplay: 1 });
      expect((await s.queue.listAttempts(claimed[0].id)).map((a) => a.attempt)).toEqual([1, 2]);
      expect(await s.queue.replay({ ids: [claimed[0].id] }, 10_000)).toBe(1);
      expect(await s.queue.getDelivery(claimed[0].id)).toMatchObject({ status: 'pending', attempts: 2, attemptsBeforeReplay: 2 });
      expect(await s.queue.replay({ sink: 'b', since: 3_500 }, 10_000)).toBe(1);
      expect(await s.queue.replay({ sink: 'a' }, 10_000)).toBe(1);
      expect(await s.queue.replay({}, 10_000)).toBe(1);
      expect(await s.queue.replay({}, 10_000)).toBe(0);
      expect((await s.queue.countDeliveries()).pending).toBe(4);
    });

    it('dead-letters waiting deliveries of sinks that are no longer configured', async () => {
      const { id } = await s.inbox.ingest(event());
      expect(await s.queue.deadLetterUnknownSinks(['a'], 5_000)).toBe(1);
      const deliveries = await s.queue.listDeliveries({ eventPk: id, status: 'dead' });
      expect(deliveries).toEqual([expect.objectContaining({ sink: 'b', lastError: 'sink "b" is not configured' })]);
    });

    it('leaves a delivery of a removed sink alone while it is leased (being sent): its result is recorded, not overwritten', async () => {
      const { id } = await s.inbox.ingest(event());
      const [sending] = await s.queue.claimDue('b', 1, 1_000, 10_000);
      expect(await s.queue.deadLetterUnknownSinks(['a'], 5_000)).toBe(0);
      expect(await s.queue.settle({ delivery: sending, startedAt: 1_000, finishedAt: 1_100, result: { status: 'delivered' } })).toBe(true);
      expect(await s.queue.listDeliveries({ eventPk: id, sink: 'b' })).toEqual([expect.objectContaining({ status: 'delivered' })]);
      // a lease that ran out (its holder died) no longer protects it
      await s.inbox.ingest(event());
      await s.queue.claimDue('b', 1, 1_000, 1_000);
      expect(await s.queue.deadLetterUnknownSinks(['a'], 5_000)).toBe(1);
    });

    it('filters deliveries for listing', async () => {
      await s.inbox.ingest(event({ event: 'generated_video_failed', receivedAt: 5 }));
      await s.inbox.ingest(event({ receivedAt: 50 }));
      expect(await s.queue.listDeliveries({ sink: 'b', limit: 1 })).toHaveLength(1);
      expect(await s.queue.listDeliveries({ status: 'dead' })).toEqual([]);
    });
  });
}
