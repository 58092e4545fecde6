import { signedHeaders, joggSignature } from '../support/signing';
import { loadFixtures, videoEvent } from '../support/fixtures';
import { startBridge, TestBridge } from '../support/bridge';

const SECRET = 'whsec_test_secret_1';
const OLD_SECRET = 'a1b2c3d4e5f6g7h8';
const ENDPOINT_SECRET = 'endpoint-secret-9';

const CONFIG = `
server: { bodyLimit: 64kb, maxEventAge: 1h }
store: { path: "\${DIR}/bridge.db" }
jogg:
  secrets: ["${SECRET}", "${OLD_SECRET}", "\${UNSET_SECRET:-}"]
  endpoints:
    - name: videos
      secrets: ["${ENDPOINT_SECRET}"]
delivery: { pollInterval: 1h }
sinks:
  all: { type: file, path: "\${DIR}/all.jsonl" }
  failures: { type: file, path: "\${DIR}/failures.jsonl" }
  videos: { type: file, path: "\${DIR}/videos.jsonl" }
routes:
  - name: everything
    match: { events: ["*"] }
    to: [all]
  - name: failures
    match: { events: ["*_failed"] }
    to: [failures]
  - name: video-successes
    match: { events: ["generated_*video_success"], where: { "data.duration": { exists: true } } }
    to: [videos]
`;

describe('POST /webhooks/jogg', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge(CONFIG);
  });
  afterAll(() => bridge.close());

  const send = (body: string, headers: Record<string, string>, path = '/webhooks/jogg') => bridge.post(path, body, headers);
  const eventCount = async () => (await bridge.store.listEvents({ limit: 10_000 })).length;

  it('accepts a signed event and stores it with its deliveries before answering', async () => {
    const body = JSON.stringify(videoEvent('generated_video_failed'));
    const res = await send(body, signedHeaders(body, SECRET, 'generated_video_failed'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'accepted', id: expect.any(Number), deliveries: 2 });
    const stored = await bridge.store.getEvent(res.body.id);
    expect(stored).toMatchObject({ event: 'generated_video_failed', body, routed: 2, endpoint: null });
    const deliveries = await bridge.store.listDeliveries({ eventPk: res.body.id });
    expect(deliveries.map((d) => [d.route, d.sink]).sort()).toEqual([
      ['everything', 'all'],
      ['failures', 'failures'],
    ]);
  });

  it('accepts a second secret of the keyring (rotation)', async () => {
    const body = JSON.stringify(videoEvent());
    expect((await send(body, signedHeaders(body, OLD_SECRET))).status).toBe(200);
  });

  it.each([
    ['missing', (_body: string) => ({ 'content-type': 'application/json' }), 'missing X-Webhook-Signature'],
    ['wrong', (body: string) => signedHeaders(body, 'not-the-secret'), 'invalid signature'],
    ['malformed', (_body: string) => ({ 'content-type': 'application/json', 'x-webhook-signature': 'sha256=abc' }), 'invalid signature'],
  ])('refuses a %s signature with 401 and stores nothing', async (_name, headers, message) => {
    const before = await eventCount();
    const body = JSON.stringify(videoEvent());
    const res = await send(body, headers(body));
    expect(res.status).toBe(401);
    expect(res.body.message).toBe(message);
    expect(await eventCount()).toBe(before);
  });

  it('refuses a body changed after signing', async () => {
    const body = JSON.stringify(videoEvent());
    const headers = signedHeaders(body, SECRET);
    const res = await send(body.replace('completed', 'failed'), headers);
    expect(res.status).toBe(401);
  });

  it('refuses a signed body that is not JSON, or not an envelope, with 400 and a reason', async () => {
    for (const [body, reason] of [
      ['{"event": ', 'body is not valid JSON'],
      ['{"event":"x","timestamp":"soon","data":{}}', '"timestamp" must be an integer (Unix seconds)'],
      ['{"event":"x","timestamp":1,"data":null}', '"data" must be an object'],
    ]) {
      const res = await send(body, signedHeaders(body, SECRET));
      expect([res.status, res.body.message]).toEqual([400, reason]);
    }
  });

  it('refuses an X-Webhook-Event header that contradicts the body', async () => {
    const body = JSON.stringify(videoEvent('generated_video_success'));
    const res = await send(body, signedHeaders(body, SECRET, 'generated_video_failed'));
    expect(res.status).toBe(400);
  });

  it('refuses other content types with 415', async () => {
    const body = JSON.stringify(videoEvent());
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await send(body, { ...signedHeaders(body, SECRET), 'content-type': type });
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
    }
    const charset = await send(body, { ...signedHeaders(body, SECRET), 'content-type': 'application/json; charset=utf-8' });
    expect(charset.status).toBe(200);
  });

  it('refuses a body over the limit with 413 before storing anything', async () => {
    const before = await eventCount();
    const body = JSON.stringify(videoEvent('generated_video_success', { padding: 'x'.repeat(70 * 1024) }));
    const res = await send(body, signedHeaders(body, SECRET));
    expect(res.status).toBe(413);
    expect(await eventCount()).toBe(before);
  });

  it('refuses stale and far-future events with 400, accepts small clock skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [number, number, string?][] = [
      [now - 3601, 400, 'event is older than 1h'],
      [now + 301, 400, 'event timestamp is more than 5m in the future'],
      [now + 120, 200],
      [now - 3500, 200],
    ];
    for (const [timestamp, status, message] of cases) {
      const body = JSON.stringify({ ...videoEvent(), timestamp });
      const res = await send(body, signedHeaders(body, SECRET));
      expect([res.status, res.body.message ?? null]).toEqual([status, message ?? null]);
    }
  });

  it('answers a duplicate 200 and creates nothing new (by event_id, else by body hash)', async () => {
    const first = JSON.stringify(videoEvent());
    const a = await send(first, signedHeaders(first, SECRET));
    const sameId = JSON.stringify({ ...JSON.parse(first), data: { changed: true } });
    const b = await send(sameId, signedHeaders(sameId, SECRET));
    expect(b.body).toEqual({ status: 'duplicate', id: a.body.id, deliveries: 0 });

    const noId = JSON.stringify({ event: 'generated_image_success', timestamp: Math.floor(Date.now() / 1000), data: { photo_id: `p-${Date.now()}` } });
    const c = await send(noId, signedHeaders(noId, SECRET));
    const d = await send(noId, signedHeaders(noId, SECRET));
    expect(c.body.status).toBe('accepted');
    expect(d.body).toEqual({ status: 'duplicate', id: c.body.id, deliveries: 0 });
    expect((await bridge.store.listDeliveries({ eventPk: c.body.id })).length).toBe(1);
  });

  it('accepts unknown event names and routes them by the same globs', async () => {
    const body = JSON.stringify(videoEvent('generated_hologram_failed'));
    const res = await send(body, signedHeaders(body, SECRET));
    expect(res.body).toMatchObject({ status: 'accepted', deliveries: 2 });
  });

  it('stores an event that no route matches as unrouted', async () => {
    const strict = await startBridge(`
store: { path: "\${DIR}/b.db" }
jogg: { secrets: ["${SECRET}"] }
sinks: { f: { type: file, path: "\${DIR}/f.jsonl" } }
routes: [{ name: failures, match: { events: ["*_failed"] }, to: [f] }]
`);
    try {
      const body = JSON.stringify(videoEvent('generated_video_success'));
      const res = await strict.post('/webhooks/jogg', body, signedHeaders(body, SECRET));
      expect(res.body).toMatchObject({ status: 'accepted', deliveries: 0 });
      expect(await strict.store.getEvent(res.body.id)).toMatchObject({ routed: 0 });
    } finally {
      await strict.close();
    }
  });

  describe('/webhooks/jogg/:endpoint', () => {
    it("verifies with that endpoint's secrets only", async () => {
      const body = JSON.stringify(videoEvent());
      const ok = await send(body, signedHeaders(body, ENDPOINT_SECRET), '/webhooks/jogg/videos');
      expect(ok.status).toBe(200);
      expect(await bridge.store.getEvent(ok.body.id)).toMatchObject({ endpoint: 'videos' });
      const other = JSON.stringify(videoEvent());
      expect((await send(other, signedHeaders(other, SECRET), '/webhooks/jogg/videos')).status).toBe(401);
    });

    it('lets the shared URL verify with endpoint secrets too', async () => {
      const body = JSON.stringify(videoEvent());
      expect((await send(body, signedHeaders(body, ENDPOINT_SECRET))).status).toBe(200);
    });

    it('answers 404 for an endpoint that is not configured', async () => {
      const body = JSON.stringify(videoEvent());
      const res = await send(body, signedHeaders(body, SECRET), '/webhooks/jogg/unknown');
      expect([res.status, res.body.message]).toEqual([404, 'unknown endpoint "unknown"']);
    });
  });

  it('leaves other methods and paths to the app (404 from the router), and reads the path without its query', async () => {
    expect((await fetch(`${bridge.url}/webhooks/jogg`)).status).toBe(404);
    const body = JSON.stringify(videoEvent());
    expect((await send(body, signedHeaders(body, SECRET), '/webhooks/jogg/videos/extra')).status).toBe(404);
    expect((await send(body, signedHeaders(body, SECRET), '/webhooks/jogg?attempt=2')).status).toBe(200);
  });

  it('refuses a body without a content type with 415, and one over the limit by its Content-Length at once', async () => {
    const body = JSON.stringify(videoEvent());
    const bare = await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body: Buffer.from(body), headers: { 'x-webhook-signature': joggSignature(body, SECRET) } });
    expect(bare.status).toBe(415);
    expect(await bare.json()).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type', message: 'content type must be application/json, not missing' });
    const big = await send('x'.repeat(65 * 1024), signedHeaders('x', SECRET));
    expect([big.status, big.headers.get('connection'), big.body.message]).toEqual([413, 'close', `body is larger than ${64 * 1024} bytes`]);
  });

  it('routes every JoggAI sample body as configured', async () => {
    for (const { file, body } of loadFixtures()) {
      const text = JSON.stringify({ ...body, event_id: body.event_id ? `${body.event_id}-${Date.now()}` : undefined });
      const res = await send(text, signedHeaders(text, SECRET, body.event));
      expect([file, res.status]).toEqual([file, 200]);
      const sinks = (await bridge.store.listDeliveries({ eventPk: res.body.id })).map((d) => d.sink).sort();
      const expected = ['all'];
      if (body.event.endsWith('_failed')) expected.push('failures');
      if (/^generated_.*video_success$/.test(body.event) && 'duration' in body.data) expected.push('videos');
      expect([file, sinks]).toEqual([file, expected.sort()]);
    }
  });
});

describe('a bridge without any webhook secret', () => {
  it('starts, and answers every webhook 401', async () => {
    const bridge = await startBridge(`
store: { path: "\${DIR}/b.db" }
jogg: { secrets: ["\${JOGG_WEBHOOK_SECRET:-}"] }
sinks: { f: { type: file, path: "\${DIR}/f.jsonl" } }
routes: [{ name: all, match: { events: ["*"] }, to: [f] }]
`);
    try {
      const body = JSON.stringify(videoEvent());
      for (const secret of ['', 'anything']) {
        const res = await bridge.post('/webhooks/jogg', body, { 'content-type': 'application/json', 'x-webhook-signature': joggSignature(body, secret) });
        expect(res.status).toBe(401);
      }
      expect(await bridge.store.listEvents({})).toEqual([]);
    } finally {
      await bridge.close();
    }
  });
});

describe('health and readiness', () => {
  it('answers /healthz, and /readyz with each check; a required sink that is down makes it 503', async () => {
    const bridge = await startBridge(`
store: { path: "\${DIR}/b.db" }
jogg: { secrets: ["x"] }
sinks:
  f: { type: file, path: "\${DIR}/f.jsonl", readiness: required }
  mail: { type: email, smtp: "smtp://127.0.0.1:9", from: a@example.com, to: [b@example.com], timeout: 1s }
routes: [{ name: all, match: { events: ["*"] }, to: [f, mail] }]
`);
    try {
      expect(await (await fetch(`${bridge.url}/healthz`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${bridge.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        ready: true,
        checks: {
          config: { status: 'up', file: expect.stringContaining('bridge.yaml') },
          store: { status: 'up' },
          sinks: {
            f: { status: 'up', readiness: 'required', circuit: 'closed' },
            mail: { status: 'down', readiness: 'optional', circuit: 'closed', error: expect.stringMatching(/ECONNREFUSED/) },
          },
          leader: { status: 'leader' },
          sync: { status: 'off' },
        },
      });
    } finally {
      await bridge.close();
    }
    const strict = await startBridge(`
store: { path: "\${DIR}/b.db" }
sinks: { mail: { type: email, smtp: "smtp://127.0.0.1:9", from: a@example.com, to: [b@example.com], timeout: 1s, readiness: required } }
routes: [{ name: all, match: { events: ["*"] }, to: [mail] }]
`);
    try {
      const res = await fetch(`${strict.url}/readyz`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { checks: { sinks: Record<string, { status: string }> } }).checks.sinks.mail.status).toBe("down");
    } finally {
      await strict.close();
    }
  });
});
