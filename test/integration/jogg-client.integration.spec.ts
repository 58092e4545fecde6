import { startBridge } from '../support/bridge';
import { JoggApiClient, JoggApiError } from '../../src/sync/jogg-api.client';
import { FakeJogg } from '../../src/sync/fake-jogg.server';
import { endpointUrl } from '../../src/sync/plan';

const KEY = 'jogg-api-key-3f9a';
const PUBLIC = 'https://bridge.example.com';

describe('JoggAI API client against the JoggAI stand-in', () => {
  let jogg: FakeJogg;
  const waits: number[] = [];
  const client = (over: Partial<ConstructorParameters<typeof JoggApiClient>[0]> = {}) =>
    new JoggApiClient({ baseUrl: jogg.url, apiKey: KEY, sleep: async (ms) => void waits.push(ms), ...over });

  beforeEach(async () => {
    jogg = await FakeJogg.start({ apiKey: KEY });
    waits.length = 0;
  });
  afterEach(() => jogg.close());

  it('creates, lists, updates and deletes endpoints, and reads the event catalogue', async () => {
    const api = client();
    const created = await api.createEndpoint({ url: endpointUrl(PUBLIC, 'videos'), status: 'enabled', events: ['generated_video_failed'] });
    expect(created).toMatchObject({ endpoint_id: expect.stringMatching(/^wh_/), secret: expect.stringMatching(/^whsec_/), status: 'enabled' });
    expect((await api.listEndpoints()).map((e) => e.url)).toEqual([`${PUBLIC}/webhooks/jogg/videos`]);
    const updated = await api.updateEndpoint(created.endpoint_id, { url: created.url, status: 'disabled', events: ['generated_video_success'] });
    expect(updated).toMatchObject({ status: 'disabled', events: ['generated_video_success'], secret: created.secret });
    await api.deleteEndpoint(created.endpoint_id);
    expect(await api.listEndpoints()).toEqual([]);
    expect(await api.listEvents()).toHaveLength(22);
  });

  it('raises typed errors for both styles: an HTTP 401 and an HTTP 200 with a non-zero code, without retrying them', async () => {
    const bad = client({ apiKey: 'wrong-key-123' });
    const unauthorized = await bad.listEndpoints().catch((e) => e);
    expect(unauthorized).toBeInstanceOf(JoggApiError);
    expect(unauthorized).toMatchObject({ code: 10105, httpStatus: 401, joggMessage: 'Invalid API key' });
    expect(unauthorized.message).not.toContain('wrong-key-123');
    const missing = await client().createEndpoint({ status: 'enabled', events: [] } as never).catch((e) => e);
    expect(missing).toMatchObject({ code: 40000, httpStatus: 200, joggMessage: 'Parameter error: url is required' });
    const gone = await client().deleteEndpoint('wh_nope').catch((e) => e);
    expect(gone).toMatchObject({ code: 10104 });
    expect(waits).toEqual([]);
  });

  it('retries 429, 50000, 5xx and timeouts with growing waits, then succeeds or gives up', async () => {
    jogg.inject({ httpStatus: 200, code: 429, msg: 'Too many requests' }, { httpStatus: 200, code: 50000, msg: 'System error' }, { httpStatus: 502, code: 502, msg: 'Bad gateway' });
    expect(await client().listEvents()).toHaveLength(22);
    expect(waits).toEqual([500, 1000, 2000]);
    waits.length = 0;
    jogg.inject({ delayMs: 400 }, { delayMs: 400 });
    const timedOut = await client({ timeoutMs: 150, attempts: 2 }).listEndpoints().catch((e) => e);
    expect(timedOut).toMatchObject({ code: -1, joggMessage: 'no answer in 150 ms' });
    expect(waits).toEqual([500]);
  });

  it('keeps itself under 20 POST requests a minute', async () => {
    let now = 0;
    let calls = 0;
    const api = client({ now: () => now, sleep: async (ms) => { waits.push(ms); now += ms; } });
    for (let i = 0; i < 21; i++) {
      if (i === 20) expect(waits).toEqual([]);
      calls += 1;
      await api.createEndpoint({ url: endpointUrl(PUBLIC, `e${i}`), status: 'enabled', events: ['generated_video_failed'] }).catch(() => undefined);
    }
    // the 21st waited for the oldest of the last 20 to leave the one-minute window
    expect([calls, waits[0]]).toEqual([21, 60_000]);
  });

  it('refuses the 21st endpoint as JoggAI would', async () => {
    await jogg.close();
    jogg = await FakeJogg.start({ apiKey: KEY, postsPerMinute: 1000 });
    const api = client({ postsPerMinute: 1000 });
    for (let i = 0; i < 20; i++) await api.createEndpoint({ url: endpointUrl(PUBLIC, `e${i}`), status: 'enabled', events: ['x'] });
    await expect(api.createEndpoint({ url: endpointUrl(PUBLIC, 'e20'), status: 'enabled', events: ['x'] })).rejects.toMatchObject({ code: 40000 });
  });

  it('answers code 429 over 20 POSTs a minute', async () => {
    const api = client({ postsPerMinute: 1000, attempts: 1 });
    for (let i = 0; i < 20; i++) await api.createEndpoint({ url: endpointUrl(PUBLIC, `e${i}`), status: 'enabled', events: ['x'] });
    await expect(api.createEndpoint({ url: endpointUrl(PUBLIC, 'e20'), status: 'enabled', events: ['x'] })).rejects.toMatchObject({ code: 429, httpStatus: 200 });
  });

  it('sends signed webhooks that the bridge verifies with the captured secret', async () => {
    const created = await client().createEndpoint({ url: endpointUrl(PUBLIC, 'videos'), status: 'enabled', events: ['generated_video_failed'] });
    const bridge = await startBridge(`
store: { path: "\${DIR}/b.db" }
jogg: { endpoints: [{ name: videos, secrets: ["${created.secret}"] }] }
routes: []
`);
    try {
      const fake = await FakeJogg.start({ apiKey: KEY, deliverTo: (url) => url.replace(PUBLIC, bridge.url) });
      fake.endpoints.set(created.endpoint_id, created);
      expect(await fake.emit('generated_video_failed')).toEqual([{ url: created.url, deliveredTo: created.url.replace(PUBLIC, bridge.url), status: 200 }]);
      expect(await fake.emit('generated_video_success')).toEqual([]);
      fake.endpoints.set(created.endpoint_id, { ...created, secret: 'whsec_other' });
      expect((await fake.emit('generated_video_failed'))[0].status).toBe(401);
      await fake.close();
    } finally {
      await bridge.close();
    }
  });
});
