import { ConsoleQueries } from '../../src/store/console-queries';
import { NewEvent } from '../../src/store/store.types';
import { StoreView } from '../support/store';

/**
 * What the console's query port must answer, on each engine. Events go in through the store's real write
 * path (ingest, claim, settle), so the schema, the resource-id extraction and the indexes are the real ones.
 */
export function consoleQueriesContract(name: string, open: () => Promise<{ store: StoreView; queries: ConsoleQueries }>) {
  describe(`ConsoleQueries contract: ${name}`, () => {
    let store: StoreView;
    let queries: ConsoleQueries;
    const T0 = 1_800_000_000_000;
    const ids: number[] = [];

    const event = (i: number, name: string, data: Record<string, unknown>, over: Partial<NewEvent> = {}): NewEvent => {
      const body = JSON.stringify({ event_id: `e${i}`, event: name, timestamp: 1, data });
      return { dedupeKey: `id:e${i}`, eventId: `e${i}`, event: name, timestamp: 1, endpoint: null, receivedAt: T0 + i * 60_000, body, deliveries: [{ route: 'r', sink: i % 2 ? 'crm' : 'alerts' }], ...over };
    };

    beforeAll(async () => {
      ({ store, queries } = await open());
      const inputs = [
        event(1, 'generated_video_success', { video_id: 'vid-1' }),
        event(2, 'generated_video_failed', { video_id: 'vid-2', error: { message: 'Out of Credits' } }),
        event(3, 'generated_script_success', { task_id: 'task-3' }),
        event(4, 'create_avatar_success', { avatar_id: 4242 }),
        event(5, 'generated_video_success', { video_id: 'vid-5', note: '100%_sure' }),
        event(6, 'generated_video_failed', { video_id: 'vid-6' }, { endpoint: 'videos' }),
      ];
      for (const input of inputs) ids.push((await store.ingest(input)).id);
      // event 2's delivery (alerts) and event 5's (crm) die; event 1's (crm) is delivered
      for (const sink of ['alerts', 'crm']) {
        for (const claim of await store.claimDue(sink, 10, T0 + 3600_000, 60_000)) {
          const pk = claim.eventPk;
          const result = pk === ids[1] || pk === ids[4] ? { status: 'dead' as const, error: 'HTTP 400' } : pk === ids[0] ? { status: 'delivered' as const } : undefined;
          if (result) await store.settle({ delivery: claim, startedAt: T0 + 3600_000, finishedAt: T0 + 3600_000 + 5, result });
          else await store.release([claim]);
        }
      }
    });
    afterAll(async () => {
      await queries?.close();
      await store?.close();
    });

    const found = async (search: Parameters<ConsoleQueries['searchEvents']>[0]) => (await queries.searchEvents(search)).events.map((e) => e.id);

    it('pages events newest first with a keyset marker', async () => {
      const first = await queries.searchEvents({ limit: 4 });
      expect(first.events.map((e) => e.id)).toEqual([ids[5], ids[4], ids[3], ids[2]]);
      expect(first.next).toBe(ids[2]);
      expect(await found({ limit: 4, before: first.next })).toEqual([ids[1], ids[0]]);
      expect((await queries.searchEvents({ limit: 4, before: ids[2] })).next).toBeUndefined();
    });

    it('shows each event with its resource id, endpoint and deliveries by state', async () => {
      const { events } = await queries.searchEvents({ limit: 10 });
      expect(events.map((e) => e.resourceId)).toEqual(['vid-6', 'vid-5', '4242', 'task-3', 'vid-2', 'vid-1']);
      expect(events[0]).toMatchObject({ event: 'generated_video_failed', endpoint: 'videos', eventId: 'e6', routed: 1, receivedAt: T0 + 6 * 60_000 });
      expect(events.map((e) => e.deliveries)).toEqual([{ pending: 1 }, { dead: 1 }, { pending: 1 }, { pending: 1 }, { dead: 1 }, { delivered: 1 }]);
    });

    it('finds events by resource id, names, delivery state, time range and text', async () => {
      expect(await found({ resource: 'vid-2', limit: 10 })).toEqual([ids[1]]);
      expect(await found({ resource: '4242', limit: 10 })).toEqual([ids[3]]);
      expect(await found({ events: ['generated_video_failed', 'generated_script_success'], limit: 10 })).toEqual([ids[5], ids[2], ids[1]]);
      expect(await found({ events: [], limit: 10 })).toEqual([]);
      expect(await found({ status: 'dead', limit: 10 })).toEqual([ids[4], ids[1]]);
      expect(await found({ status: 'dead', events: ['generated_video_success'], limit: 10 })).toEqual([ids[4]]);
      expect(await found({ status: 'dead', resource: 'vid-5', limit: 10 })).toEqual([ids[4]]);
      expect(await found({ status: 'dead', limit: 1, before: ids[4] })).toEqual([ids[1]]);
      expect(await found({ from: T0 + 2 * 60_000, to: T0 + 4 * 60_000, limit: 10 })).toEqual([ids[2], ids[1]]);
      expect(await found({ from: T0 + 5 * 60_000, limit: 10 })).toEqual([ids[5], ids[4]]);
      expect(await found({ text: 'OUT OF CREDITS', limit: 10 })).toEqual([ids[1]]);
      expect(await found({ text: '100%_', limit: 10 })).toEqual([ids[4]]); // wildcards are literal
      expect(await found({ text: '0%_x', limit: 10 })).toEqual([]);
    });

    it('stores an event whose body is not JSON (no resource id) without failing the write', async () => {
      const { id } = await store.ingest({ ...event(99, 'odd', {}), dedupeKey: 'id:odd', body: 'not json {' });
      expect((await queries.searchEvents({ limit: 1 })).events[0]).toMatchObject({ id, resourceId: null });
      expect(await queries.eventsSince(ids[5], 10)).toEqual([expect.objectContaining({ id, event: 'odd' })]);
      expect((await queries.getEvent(id))?.body).toBe('not json {');
    });

    it('lists, counts and selects dead letters by sink, event and time', async () => {
      expect((await queries.deadLetters({ limit: 10 })).map((d) => [d.eventPk, d.sink, d.event, d.resourceId, d.lastError])).toEqual([
        [ids[4], 'crm', 'generated_video_success', 'vid-5', 'HTTP 400'],
        [ids[1], 'alerts', 'generated_video_failed', 'vid-2', 'HTTP 400'],
      ]);
      expect((await queries.deadLetters({ sink: 'alerts', limit: 10 })).map((d) => d.eventPk)).toEqual([ids[1]]);
      expect((await queries.deadLetters({ events: ['generated_video_success'], limit: 10 })).map((d) => d.eventPk)).toEqual([ids[4]]);
      expect(await queries.deadLetters({ since: T0 + 7200_000, limit: 10 })).toEqual([]);
      const all = await queries.countDeadLetters({});
      expect(all.count).toBe(2);
      const dead = await queries.deadLetters({ limit: 10 });
      expect(all.maxId).toBe(dead[0].id);
      expect(await queries.deadLetterIds({ maxId: dead[1].id }, 10)).toEqual([dead[1].id]);
      expect(await queries.countDeadLetters({ events: [] })).toEqual({ count: 0, maxId: 0 });
    });

    it("lists one event's deliveries and the dead letters waiting per sink", async () => {
      expect((await queries.deliveriesOf(ids[1])).map((d) => [d.sink, d.status, d.lastError])).toEqual([['alerts', 'dead', 'HTTP 400']]);
      expect(await queries.deliveriesOf(987654)).toEqual([]);
      expect(await queries.deadBySink()).toEqual([{ sink: 'alerts', count: 1 }, { sink: 'crm', count: 1 }]);
    });

    it('counts a window: accepted, deliveries by sink and state, latency percentiles', async () => {
      const counts = await queries.windowCounts(T0 + 2 * 60_000);
      expect(counts.accepted).toBe(6); // events 2 to 6, and the odd one received at T0 + 99 min
      expect(counts.deliveries).toEqual(expect.arrayContaining([{ sink: 'crm', status: 'dead', count: 1 }, { sink: 'alerts', status: 'dead', count: 1 }]));
      const all = await queries.windowCounts(0);
      expect(all.latency).toEqual([{ sink: 'crm', count: 1, p50: 3600_000 + 5 - 60_000, p99: 3600_000 + 5 - 60_000 }]);
    });
  });
}
