import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { ReplayService } from '../../src/delivery/replay.service';
import { startBridge, TestBridge } from '../support/bridge';
import { videoEvent } from '../support/fixtures';
import { Receiver } from '../support/receiver';
import { signedHeaders } from '../support/signing';
import { metricValue } from '../support/metrics';
import { waitFor } from '../support/wait';

const SECRET = 'delivery-test-secret';
const SIGNING_SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;

describe('delivery to a real HTTP receiver', () => {
  let receiver: Receiver;
  let bridge: TestBridge;

  beforeAll(async () => {
    receiver = await Receiver.start();
    bridge = await startBridge(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
retry: { attempts: 4, backoff: { initial: 100ms, max: 400ms, factor: 2, jitter: false } }
delivery: { pollInterval: 50ms }
sinks:
  hook:
    type: http
    url: ${receiver.url}/hook
    headers: { x-team: data }
    sign: { secret: "${SIGNING_SECRET}" }
  templated:
    type: http
    url: ${receiver.url}/templated
  lines: { type: file, path: "\${DIR}/lines.jsonl", format: "{{ event }} {{ resource_id }}" }
routes:
  - name: to-hook
    match: { events: ["generated_video_*"] }
    to: [hook]
  - name: templated
    match: { events: ["generated_image_failed"] }
    to: [templated, lines]
    http: { body: '{"text": {{ error_message | json }}, "photo": "{{ data.photo_id }}"}' }
`);
  });
  afterAll(async () => {
    await bridge.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.requests.length = 0;
  });

  async function send(body: object) {
    const text = JSON.stringify(body);
    const res = await bridge.post('/webhooks/jogg', text, signedHeaders(text, SECRET));
    expect(res.status).toBe(200);
    const [delivery] = await bridge.store.listDeliveries({ eventPk: res.body.id });
    return { text, eventPk: res.body.id as number, deliveryId: delivery.id };
  }

  const settled = (id: number, status: string) =>
    waitFor(async () => {
      const d = await bridge.store.getDelivery(id);
      return d?.status === status ? d : undefined;
    }, 10_000, `delivery ${id} to be ${status}`);

  it('delivers the event as JoggAI sent it, signed with Standard Webhooks', async () => {
    const { text, deliveryId } = await send(videoEvent());
    await settled(deliveryId, 'delivered');
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/hook', body: text });
    expect(request.headers).toMatchObject({ 'content-type': 'application/json', 'x-team': 'data', 'x-jogg-event': 'generated_video_success' });
    const verified = new Webhook(SIGNING_SECRET).verify(request.body, request.headers as Record<string, string>);
    expect(verified).toEqual(JSON.parse(text));
    expect(() => new Webhook(SIGNING_SECRET).verify(`${request.body} `, request.headers as Record<string, string>)).toThrow();
    const attempts = await bridge.store.listAttempts(deliveryId);
    expect(attempts).toEqual([expect.objectContaining({ attempt: 1, outcome: 'delivered', error: null })]);
  });

  it('hands new deliveries of an idle, healthy sink straight to the dispatcher (no claim), and delivers each once', async () => {
    const handedOff = () => metricValue(bridge.url, 'bridge_deliveries_handed_off_total{sink="hook"}');
    const before = await handedOff();
    const sent = [];
    for (let i = 0; i < 10; i++) sent.push(await send(videoEvent()));
    for (const { deliveryId } of sent) await settled(deliveryId, 'delivered');
    expect(await handedOff()).toBe(before + 10);
    expect(receiver.requests.map((r) => r.body).sort()).toEqual(sent.map((s) => s.text).sort());
    for (const { deliveryId } of sent) expect(await bridge.store.listAttempts(deliveryId)).toEqual([expect.objectContaining({ attempt: 1, outcome: 'delivered' })]);
  });

  it('renders route templates, with payload values JSON-escaped where the template asks', async () => {
    const photoId = `p-${Date.now()}`;
    const { deliveryId } = await send({
      event: 'generated_image_failed', timestamp: Math.floor(Date.now() / 1000), data: { photo_id: photoId, error: 'bad "prompt"\n{{ event }}' },
    });
    await settled(deliveryId, 'delivered');
    expect(JSON.parse(receiver.requests[0].body)).toEqual({ text: 'bad "prompt"\n{{ event }}', photo: photoId });
    await waitFor(() => readFileSync(join(bridge.dir, 'lines.jsonl'), 'utf8').includes(`generated_image_failed ${photoId}\n`));
  });

  it('retries a 500 and then delivers', async () => {
    receiver.reply({ status: 500, body: 'oops' });
    const { deliveryId } = await send(videoEvent());
    await settled(deliveryId, 'delivered');
    expect(receiver.requests).toHaveLength(2);
    const attempts = await bridge.store.listAttempts(deliveryId);
    expect(attempts.map((a) => [a.outcome, a.error])).toEqual([['retry', 'HTTP 500: oops'], ['delivered', null]]);
    expect(receiver.requests[1].at - receiver.requests[0].at).toBeGreaterThanOrEqual(90);
  });

  it('honours Retry-After on a 429', async () => {
    receiver.reply({ status: 429, headers: { 'retry-after': '1' }, body: 'slow down' });
    const { deliveryId } = await send(videoEvent());
    await settled(deliveryId, 'delivered');
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1].at - receiver.requests[0].at).toBeGreaterThanOrEqual(1000);
  });

  it('dead-letters a 400 at once, and a replay delivers it', async () => {
    receiver.reply({ status: 400, body: 'bad request' });
    const { deliveryId } = await send(videoEvent());
    const dead = await settled(deliveryId, 'dead');
    expect(dead.lastError).toBe('HTTP 400: bad request');
    expect(receiver.requests).toHaveLength(1);
    expect(await bridge.app.get(ReplayService).replay({ ids: [deliveryId] })).toBe(1);
    await settled(deliveryId, 'delivered');
    expect(receiver.requests).toHaveLength(2);
    expect((await bridge.store.listAttempts(deliveryId)).map((a) => a.outcome)).toEqual(['dead', 'delivered']);
    expect(await bridge.store.getDelivery(deliveryId)).toMatchObject({ attempts: 2 });
  });

  it('gives a replayed delivery a fresh retry budget, and counts every attempt ever made', async () => {
    receiver.reply(...Array.from({ length: 5 }, () => ({ status: 503, body: 'down' })));
    const { deliveryId } = await send(videoEvent());
    await settled(deliveryId, 'dead');
    expect(await bridge.app.get(ReplayService).replay({ ids: [deliveryId] })).toBe(1);
    const delivered = await settled(deliveryId, 'delivered');
    expect(receiver.requests).toHaveLength(6);
    expect(delivered.attempts).toBe(6);
    expect(await bridge.store.listAttempts(deliveryId)).toHaveLength(6);
  });

  it('dead-letters when the retry policy gives up, counting every attempt', async () => {
    receiver.reply(...Array.from({ length: 4 }, () => ({ status: 503, body: 'down' })));
    const { deliveryId } = await send(videoEvent());
    const dead = await settled(deliveryId, 'dead');
    expect(dead.lastError).toBe('HTTP 503: down (gave up after 4 attempts)');
    expect(receiver.requests).toHaveLength(4);
    const gaps = receiver.requests.slice(1).map((r, i) => r.at - receiver.requests[i].at);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual([100, 200, 400][i] - 10));
  });

  it('replays dead letters by sink', async () => {
    receiver.reply({ status: 404, body: 'no' }, { status: 404, body: 'no' });
    const a = await send(videoEvent());
    const b = await send(videoEvent());
    await settled(a.deliveryId, 'dead');
    await settled(b.deliveryId, 'dead');
    expect(await bridge.app.get(ReplayService).replay({ sink: 'hook' })).toBeGreaterThanOrEqual(2);
    await settled(a.deliveryId, 'delivered');
    await settled(b.deliveryId, 'delivered');
  });

  it('retries connection errors while the receiver is down', async () => {
    const down = await Receiver.start();
    const port = new URL(down.url).port;
    await down.close();
    const other = await startBridge(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
retry: { attempts: 50, backoff: { initial: 100ms, max: 200ms, jitter: false } }
sinks: { hook: { type: http, url: "http://127.0.0.1:${port}/x", timeout: 2s } }
routes: [{ name: all, match: { events: ["*"] }, to: [hook] }]
`);
    try {
      const text = JSON.stringify(videoEvent());
      const res = await other.post('/webhooks/jogg', text, signedHeaders(text, SECRET));
      const [delivery] = await other.store.listDeliveries({ eventPk: res.body.id });
      await waitFor(async () => (await other.store.listAttempts(delivery.id)).length >= 2);
      const attempts = await other.store.listAttempts(delivery.id);
      expect(attempts[0].error).toBe(`network error: ECONNREFUSED (http://127.0.0.1:${port})`);
      await down.listen(Number(port));
      await waitFor(async () => (await other.store.getDelivery(delivery.id))?.status === 'delivered', 5000);
      expect(down.requests.map((r) => r.body)).toEqual([text]);
    } finally {
      await other.close();
      await down.close();
    }
  });

  it('keeps to a sink rate limit', async () => {
    const limited = await startBridge(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
sinks: { hook: { type: http, url: "${receiver.url}/limited", rateLimit: { perSecond: 4, burst: 1 } } }
routes: [{ name: all, match: { events: ["*"] }, to: [hook] }]
`);
    try {
      for (let i = 0; i < 5; i++) {
        const text = JSON.stringify(videoEvent());
        expect((await limited.post('/webhooks/jogg', text, signedHeaders(text, SECRET))).status).toBe(200);
      }
      await waitFor(() => receiver.requests.filter((r) => r.url === '/limited').length === 5, 5000);
      const times = receiver.requests.filter((r) => r.url === '/limited').map((r) => r.at);
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      gaps.forEach((gap) => expect(gap).toBeGreaterThanOrEqual(200));
    } finally {
      await limited.close();
    }
  });
});
