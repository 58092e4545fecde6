import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '../common/clock';
import { BridgeConfigService } from '../config/bridge-config.service';
import { parseConfig } from '../config/config.loader';
import { SinkFactory } from '../sink-registry/sink.factory';
import { SlackMessage } from '../sinks/slack/slack.sink';
import { AlertGroups } from '../store/ports';
import { openSqliteStore } from '../store/sqlite/sqlite-store';
import { StoreView, storeView } from '../../test/support/store';
import { GroupFlusher } from './group-flusher.service';
import { GroupMessages } from './group-messages.service';
import { planAlerting } from './membership';

class FakeClock extends Clock {
  constructor(public at: number) {
    super();
  }
  override now(): number {
    return this.at;
  }
}

const config = parseConfig(`
sinks:
  ops: { type: slack, url: "http://127.0.0.1:9/services/T/B/x", digest: { every: day, at: "09:00", tz: Europe/Berlin, max: 5 } }
routes:
  - { name: all, match: { events: ["*"] }, to: [ops] }
  - { name: failures, match: { events: ["*_failed"] }, to: [ops] }
`, 'bridge.yaml', {});
const TYPES = ['generated_video_success', 'generated_video_failed', 'generated_image_failed', 'create_avatar_success'];
const PERIOD_END = Date.parse('2026-12-01T08:00:00Z'); // 09:00 in Berlin

describe('digests under a fake clock', () => {
  let dir: string;
  let store: StoreView & { groups: AlertGroups };
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jogg-digest-'));
    const ports = await openSqliteStore(join(dir, 'b.db'), { owner: true });
    store = Object.assign(storeView(ports), { groups: ports.groups });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Ingests an event as the ingress would: every delivery to the digest's sink joins the period's group. */
  let n = 0;
  async function ingest(event: string, receivedAt: number) {
    n += 1;
    const envelope = { event, timestamp: 1, data: { video_id: `v${n}`, ...(event.endsWith('_failed') ? { error: { code: 50000, message: `failure ${n}` } } : {}) } };
    const routes = config.routes.filter((r) => r.events.some((g) => g.test(event)));
    const deliveries = routes.map((r) => ({ route: r.name, sink: 'ops', group: planAlerting(config.groups, r.name, config.sinks.get('ops')!, envelope, receivedAt).group }));
    return (await store.ingest({ dedupeKey: `k${n}`, event, timestamp: 1, endpoint: null, receivedAt, body: JSON.stringify(envelope), deliveries })).id;
  }

  it('sends one summary at the period\'s end whose counts match the store, lists the first failures, and nothing for an empty period', async () => {
    const start = PERIOD_END - 86_400_000;
    const inPeriod: number[] = [];
    for (let i = 0; i < 40; i++) inPeriod.push(await ingest(TYPES[i % 4], start + 1 + i * 2_000_000));
    await ingest('generated_video_failed', PERIOD_END + 1); // the next period
    const clock = new FakeClock(PERIOD_END - 1);
    const flusher = new GroupFlusher(store.groups, clock, { current: config } as BridgeConfigService);
    await flusher.flushNow();
    expect(await store.listDeliveries({ sink: 'ops' })).toEqual([]);

    clock.at = PERIOD_END;
    await flusher.flushNow();
    const [delivery] = await store.listDeliveries({ sink: 'ops' });
    expect(delivery).toMatchObject({ route: '(digest)', status: 'pending' });

    const messages = new GroupMessages(store.groups, { current: config } as BridgeConfigService);
    const input = await messages.input(delivery);
    // the counts are the store's: events received in the period, per type (an event routed twice is counted once)
    const stored = (await store.listEvents({ limit: 1000 })).filter((e) => e.receivedAt < PERIOD_END && inPeriod.includes(e.id));
    const expected = TYPES.map((event) => ({ event, count: stored.filter((e) => e.event === event).length }));
    expect([...input.counts].sort((a, b) => a.event.localeCompare(b.event))).toEqual(expected.sort((a, b) => a.event.localeCompare(b.event)));
    expect(input.count).toBe(40);
    expect(input.digest).toEqual({ start, end: PERIOD_END });
    const failures = stored.filter((e) => e.event.endsWith('_failed')).map((e) => e.id).sort((a, b) => a - b);
    expect(input.members.map((m) => m.bridgeId)).toEqual(failures.slice(0, 5));

    const sink = new SinkFactory().create(config.sinks.get('ops')!);
    const message = sink.renderGroup!(input) as SlackMessage;
    const blocks = message.blocks as { type: string; text?: { text: string }; elements?: { text: string }[] }[];
    expect(blocks[0].text!.text).toBe('Digest: 40 events, 20 failed');
    expect(blocks[1].text!.text).toBe('10 × create_avatar_success\n10 × generated_image_failed\n10 × generated_video_failed\n10 × generated_video_success\n');
    expect(blocks[blocks.length - 1].elements![0].text).toMatch(/^\*\+15 more failures\* · 2026-11-30T08:00:00.000Z to 2026-12-01T08:00:00.000Z · group \d+/);

    // the next period holds the one later event; the period after it has none and sends nothing
    clock.at = PERIOD_END + 86_400_000;
    expect((await store.groups.flushDue(clock.at)).map((g) => g.members)).toEqual([1]);
    clock.at = PERIOD_END + 2 * 86_400_000;
    expect(await store.groups.flushDue(clock.at)).toEqual([]);
    expect(await store.listDeliveries({ sink: 'ops' })).toHaveLength(2);
  });

  it('sends an empty digest only when asked (sendEmpty), once per period, also across a restart, and none for a period with events', async () => {
    const asked = parseConfig(`
sinks:
  ops: { type: slack, url: "http://127.0.0.1:9/services/T/B/x", digest: { every: day, at: "09:00", tz: Europe/Berlin, sendEmpty: true } }
routes: []
`, 'bridge.yaml', {});
    const service = { current: asked } as BridgeConfigService;
    // the bridge starts 4 s after a period's end: the period before it ended long ago, without events
    const clock = new FakeClock(PERIOD_END + 4_000);
    await new GroupFlusher(store.groups, clock, service).flushNow();
    const keys = async () => (await store.groups.listGroups({ sink: 'ops' })).map((g) => [g.key, g.members]);
    expect(await keys()).toEqual([['{"digest":"2026-11-30T08:00:00.000Z"}', 0]]);
    // the period that just ended: sent once the grace for late commits is over, once, also across a restart
    clock.at = PERIOD_END + 6_000;
    const flusher = new GroupFlusher(store.groups, clock, service);
    await flusher.flushNow();
    await flusher.flushNow();
    await new GroupFlusher(store.groups, clock, service).flushNow();
    expect(await keys()).toEqual([['{"digest":"2026-12-01T08:00:00.000Z"}', 0], ['{"digest":"2026-11-30T08:00:00.000Z"}', 0]]);
    const deliveries = await store.listDeliveries({ sink: 'ops' });
    expect(deliveries).toHaveLength(2);
    const input = await new GroupMessages(store.groups, service).input(deliveries[0]);
    expect(input).toMatchObject({ count: 0, members: [], digest: { start: PERIOD_END - 86_400_000, end: PERIOD_END } });
    const message = new SinkFactory().create(asked.sinks.get('ops')!).renderGroup!(input) as SlackMessage;
    expect(message.text).toBe(':bar_chart: *Digest*: 0 events, 0 failed (2026-11-30T08:00:00.000Z to 2026-12-01T08:00:00.000Z)');
    expect((message.blocks as { type: string }[]).map((b) => b.type)).toEqual(['header', 'context']);

    // the next period has an event: its digest is the real one, not an empty one
    n += 1;
    const envelope = { event: 'generated_video_failed', timestamp: 1, data: {} };
    const group = planAlerting(asked.groups, 'all', asked.sinks.get('ops')!, envelope, PERIOD_END + 10_000).group;
    await store.ingest({ dedupeKey: `k${n}`, event: 'generated_video_failed', timestamp: 1, endpoint: null, receivedAt: PERIOD_END + 10_000, body: JSON.stringify(envelope), deliveries: [{ route: 'all', sink: 'ops', group }] });
    clock.at = PERIOD_END + 86_400_000 + 6_000;
    await flusher.flushNow();
    await flusher.flushNow();
    expect((await store.groups.listGroups({ sink: 'ops' })).map((g) => [g.members, g.state])).toEqual([[1, 'flushed'], [0, 'flushed'], [0, 'flushed']]);
  });
});
