import { startBridge, TestBridge } from '../support/bridge';
import { videoEvent } from '../support/fixtures';
import { signedHeaders } from '../support/signing';
import { SlackStandIn } from '../support/slack-standin';
import { waitFor } from '../support/wait';

const SECRET = 'silence-secret';
const TOKEN = 'silence-admin-token';

describe('silences in the admin API', () => {
  let bridge: TestBridge;
  let slack: SlackStandIn;
  beforeAll(async () => {
    slack = await SlackStandIn.start();
    bridge = await startBridge(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms }
sinks: { alerts: { type: slack, url: "${slack.webhook('ok')}" } }
routes: [{ name: failures, match: { events: ["*_failed"] }, to: [alerts] }]
`, { BRIDGE_ADMIN_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await bridge.close();
    await slack.close();
  });

  const admin = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${bridge.url}/admin${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
    return { status: res.status, body: (await res.json().catch(() => null)) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const send = async (code: number) => {
    const body = videoEvent('generated_video_failed', { error: { code, message: `failure ${code}` } });
    const text = JSON.stringify(body);
    const res = await bridge.post('/webhooks/jogg', text, signedHeaders(text, SECRET));
    expect(res.status).toBe(200);
    return { id: res.body.id as number, videoId: body.data.video_id };
  };
  const deliveryOf = async (eventId: number) => (await bridge.store.listDeliveries({ eventPk: eventId }))[0];
  const postedVideos = () => slack.posts.map((p) => JSON.stringify(p.payload));

  it('refuses silences without matchers, with a bad matcher, without a duration or a comment', async () => {
    const bad = [
      [{ matchers: [], for: '2h', comment: 'x' }, 'a silence needs at least one matcher (event=generated_video_failed)'],
      [{ matchers: ['event'], for: '2h', comment: 'x' }, '"event" is not a matcher: write field=value, field!=value or field=~regex'],
      [{ matchers: ['data.error.code=~(('], for: '2h', comment: 'x' }, '"((" is not a regular expression'],
      [{ matchers: ['event=x'], comment: 'x' }, 'give how long the silence lasts: for (2h) or until (a date)'],
      [{ matchers: ['event=x'], for: 'soon', comment: 'x' }, 'for takes a duration such as 30m, 2h or 1d, not "soon"'],
      [{ matchers: ['event=x'], for: '2h', comment: ' ' }, 'a silence needs a comment'],
      [{ matchers: ['event=x'], for: '2h' }, 'a silence needs a comment saying why'],
      [{ matchers: ['evnt=x'], for: '2h', comment: 'x' }, '"evnt" is no field of an event or delivery'],
    ] as const;
    for (const [body, message] of bad) {
      const res = await admin('/silences', { method: 'POST', body: JSON.stringify(body) });
      expect([res.status, [res.body.message].flat().join(" | ")]).toEqual([400, expect.stringContaining(message)]);
    }
    expect((await admin('/silences/999/expire', { method: 'POST' })).status).toBe(404);
  });

  it('records matching deliveries as silenced and sends the others; after expiry sends again; a silenced one replays', async () => {
    const added = await admin('/silences', {
      method: 'POST', body: JSON.stringify({ matchers: ['event=generated_video_failed', 'data.error.code=18020'], for: '2h', comment: 'credits topped up', createdBy: 'ops' }),
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ comment: 'credits topped up', createdBy: 'ops', matchers: [{ field: 'event', op: '=', value: 'generated_video_failed' }, { field: 'data.error.code', op: '=', value: '18020' }] });
    expect((await admin('/silences')).body.map((s: { id: number }) => s.id)).toEqual([added.body.id]);

    const silenced = await send(18020);
    const other = await send(50000);
    expect(await deliveryOf(silenced.id)).toMatchObject({ status: 'silenced', silenceId: added.body.id });
    await waitFor(async () => (await deliveryOf(other.id)).status === 'delivered', 10_000, 'the unsilenced failure to be sent');
    expect(postedVideos().some((p) => p.includes(other.videoId))).toBe(true);
    expect(postedVideos().some((p) => p.includes(silenced.videoId))).toBe(false);
    expect((await admin('/deliveries?status=silenced')).body.map((d: { eventPk: number }) => d.eventPk)).toEqual([silenced.id]);

    expect(await admin(`/silences/${added.body.id}/expire`, { method: 'POST' })).toEqual({ status: 200, body: { id: added.body.id, expired: true } });
    expect((await admin('/silences')).body).toEqual([]);
    expect((await admin('/silences?all=true')).body).toHaveLength(1);
    const after = await send(18020);
    await waitFor(async () => (await deliveryOf(after.id)).status === 'delivered', 10_000, 'the failure after expiry to be sent');

    const replayed = await admin('/replay', { method: 'POST', body: JSON.stringify({ ids: [(await deliveryOf(silenced.id)).id] }) });
    expect(replayed.body).toEqual({ replayed: 1 });
    await waitFor(async () => (await deliveryOf(silenced.id)).status === 'delivered', 10_000, 'the replayed silenced delivery to be sent');
    expect(postedVideos().some((p) => p.includes(silenced.videoId))).toBe(true);
  }, 30_000);
});
