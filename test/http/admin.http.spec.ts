import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { AdminController } from '../../src/admin/admin.controller';
import { startBridge, TestBridge } from '../support/bridge';
import { videoEvent } from '../support/fixtures';
import { Receiver } from '../support/receiver';
import { signedHeaders } from '../support/signing';
import { waitFor } from '../support/wait';

const SECRET = 'admin-test-secret';
const TOKEN = 'admin-token-7c1e';

describe('admin API', () => {
  let bridge: TestBridge;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await Receiver.start();
    bridge = await startBridge(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
retry: { attempts: 1 }
sinks: { hook: { type: http, url: "${receiver.url}/hook", headers: { authorization: "Bearer downstream-secret-1" } } }
routes: [{ name: all, match: { events: ["*"] }, to: [hook] }]
`, { BRIDGE_ADMIN_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await bridge.close();
    await receiver.close();
  });

  const admin = async (path: string, init: RequestInit = {}, token: string | null = TOKEN) => {
    const res = await fetch(`${bridge.url}/admin${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } });
    return { status: res.status, body: (await res.json().catch(() => null)) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  it('refuses requests without the token or with a wrong one', async () => {
    expect((await admin('/events', {}, null)).status).toBe(401);
    expect((await admin('/events', {}, 'wrong')).status).toBe(401);
    expect((await admin('/events', {}, `${TOKEN}x`)).status).toBe(401);
    expect((await admin('/events')).status).toBe(200);
  });

  it('lists and shows events and deliveries with filters and paging, and replays a dead letter', async () => {
    receiver.reply({ status: 400, body: 'no' });
    const ids: number[] = [];
    for (const event of ['generated_video_failed', 'generated_video_success', 'generated_video_success']) {
      const text = JSON.stringify(videoEvent(event));
      ids.push((await bridge.post('/webhooks/jogg', text, signedHeaders(text, SECRET))).body.id);
    }
    await waitFor(async () => (await bridge.store.countDeliveries()).pending === 0, 10_000);

    const page1 = await admin('/events?limit=2');
    expect(page1.body.map((e: { id: number }) => e.id)).toEqual([ids[2], ids[1]]);
    const page2 = await admin(`/events?limit=2&before=${ids[1]}`);
    expect(page2.body.map((e: { id: number }) => e.id)).toEqual([ids[0]]);
    expect((await admin('/events?event=generated_video_failed&since=1h')).body).toHaveLength(1);
    expect((await admin('/events?since=yesterday')).status).toBe(400);
    expect((await admin('/events?limit=0')).status).toBe(400);
    const notANumber = await admin('/events?limit=abc');
    expect([notANumber.status, notANumber.body]).toEqual([400, { statusCode: 400, error: 'Bad Request', message: 'limit must be an integer number' }]);
    const notAList = await admin('/replay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ids":"x"}' });
    expect([notAList.status, notAList.body.message]).toEqual([400, 'ids must be an array']);

    const shown = await admin(`/events/${ids[0]}`);
    expect(shown.body).toMatchObject({ id: ids[0], body: { event: 'generated_video_failed' }, deliveries: [{ sink: 'hook', status: 'dead' }] });
    expect((await admin('/events/99999')).status).toBe(404);

    const dead = await admin('/deliveries?status=dead');
    expect(dead.body).toHaveLength(1);
    const detail = await admin(`/deliveries/${dead.body[0].id}`);
    expect(detail.body.history).toEqual([expect.objectContaining({ outcome: 'dead', error: 'HTTP 400: no' })]);

    const bad = await admin('/replay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ids": "x"}' });
    expect(bad.status).toBe(400);
    const replay = await admin('/replay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dead: true, sink: 'hook' }) });
    expect(replay.body).toEqual({ replayed: 1 });
    await waitFor(async () => (await admin(`/deliveries/${dead.body[0].id}`)).body.status === 'delivered', 10_000);
  });

  it('searches events by resource id, glob, time and text, a page at a time', async () => {
    const texts = [videoEvent('generated_video_failed', { video_id: 'vid-search-1' }), videoEvent('generated_avatar_video_success', { video_id: 'vid-search-2' })].map((e) => JSON.stringify(e));
    const ids: number[] = [];
    for (const text of texts) ids.push((await bridge.post('/webhooks/jogg', text, signedHeaders(text, SECRET))).body.id);
    const search = async (q: string) => (await admin(`/events/search?${q}`)).body;
    expect(await search('resource=vid-search-2')).toMatchObject({ events: [{ id: ids[1], resourceId: 'vid-search-2', event: 'generated_avatar_video_success' }] });
    expect((await search('event=*avatar*&from=1h')).events.map((e: { id: number }) => e.id)).toContain(ids[1]);
    expect((await search('event=*avatar*')).events.map((e: { id: number }) => e.id)).not.toContain(ids[0]);
    expect((await search('q=VID-SEARCH-1')).events.map((e: { id: number }) => e.id)).toEqual([ids[0]]);
    const first = await search('limit=1');
    expect(first).toMatchObject({ events: [{ id: ids[1] }], next: ids[1] });
    expect((await search(`limit=1&before=${first.next}`)).events[0].id).toBe(ids[0]);
    for (const bad of ['status=lost', 'event=**', 'from=yesterday', 'limit=0', 'before=x', 'unknown=1']) expect({ bad, status: (await admin(`/events/search?${bad}`)).status }).toEqual({ bad, status: 400 });
  });

  it('dry-runs routes exactly as the CLI does', async () => {
    const body = videoEvent('generated_video_failed');
    const res = await admin('/routes/test', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ event: 'generated_video_failed', routes: [{ route: 'all', deliveries: [{ sink: 'hook', type: 'http', message: { body: JSON.stringify(body) } }] }] });
    expect((await admin('/routes/test', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"event": 1}' })).status).toBe(400);
    expect(receiver.requests.filter((r) => r.body.includes(body.event_id))).toEqual([]);
  });

  it('shows the config in use with its secrets redacted', async () => {
    const res = await admin('/config');
    const text = JSON.stringify(res.body);
    expect(res.body.config.sinks.hook).toMatchObject({ type: 'http', headers: { authorization: '[redacted]' } });
    expect(res.body.config.jogg.secrets).toEqual(['[redacted]']);
    for (const secret of [SECRET, 'downstream-secret-1', TOKEN]) expect(text).not.toContain(secret);
  });

  it('describes itself with OpenAPI at /admin/openapi.json, behind the same token, route for route', async () => {
    expect((await fetch(`${bridge.url}/admin/openapi.json`)).status).toBe(401);
    const res = await admin('/openapi.json');
    expect(res.status).toBe(200);
    const documented = Object.entries(res.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    // every route the controller has, read from Nest's own route metadata
    const proto = AdminController.prototype as unknown as Record<string, object>;
    const routes = Object.getOwnPropertyNames(proto)
      .filter((name) => name !== 'constructor' && Reflect.getMetadata(PATH_METADATA, proto[name]) !== undefined)
      .map((name) => `${RequestMethod[Reflect.getMetadata(METHOD_METADATA, proto[name])]} /admin/${Reflect.getMetadata(PATH_METADATA, proto[name]).replace(/:(\w+)/g, '{$1}')}`);
    expect(documented.sort()).toEqual(routes.sort());
    expect(routes).toHaveLength(12);
  });

  it('answers 401, never 500, for bearer headers with quotes, backslashes or odd bytes', async () => {
    for (const token of ['a"b', '"', 'a\\b', `${TOKEN}"`, 'a\tb', 'é"']) {
      expect([token, (await admin('/config', {}, token)).status]).toEqual([token, 401]);
    }
  });
});

describe('admin answers with awkward secrets in the config', () => {
  it('hides secrets with quotes and backslashes, short ones and credential headers, in /admin/config and /admin/routes/test', async () => {
    const bridge = await startBridge(`
store: { path: "\${DIR}/b.db" }
jogg: { secrets: ['quo"te\\secret', "z9"] }
sinks:
  hook: { type: http, url: "http://127.0.0.1:9/x", headers: { authorization: 'Bearer a"b\\c-token', x-api-key: "Q7", x-team: ops } }
  alerts: { type: slack, url: "http://127.0.0.1:9/services/T000/B000/XXXX" }
routes: [{ name: all, match: { events: ["*"] }, to: [hook] }]
`, { BRIDGE_ADMIN_TOKEN: TOKEN });
    try {
      const get = await fetch(`${bridge.url}/admin/config`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(get.status).toBe(200);
      const text = await get.text();
      const { config } = JSON.parse(text);
      expect(config.jogg.secrets).toEqual(['[redacted]', '[redacted]']);
      expect(config.sinks.hook.headers).toEqual({ authorization: '[redacted]', 'x-api-key': '[redacted]', 'x-team': 'ops' });
      // a secret that starts like ordinary words (the Slack URL starts with "http") hides only itself
      expect([config.sinks.hook.type, config.sinks.alerts.type, config.sinks.alerts.url]).toEqual(['http', 'slack', '[redacted]']);
      const openapi = (await (await fetch(`${bridge.url}/admin/openapi.json`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { components: { securitySchemes: { bearer: { type: string } } } };
      expect(openapi.components.securitySchemes.bearer.type).toBe('http');
      for (const form of ['quo', 'a\\"b', 'a"b', 'c-token', '"Q7"', '"z9"']) expect([form, text.includes(form)]).toEqual([form, false]);
      const dry = await fetch(`${bridge.url}/admin/routes/test`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(videoEvent()) });
      const headers = ((await dry.json()) as any).routes[0].deliveries[0].message.headers; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(headers).toMatchObject({ authorization: '[redacted]', 'x-api-key': '[redacted]', 'x-team': 'ops' });
    } finally {
      await bridge.close();
    }
  });
});

describe('admin API without a token', () => {
  it('is off', async () => {
    const bridge = await startBridge(`store: { path: "\${DIR}/b.db" }\nroutes: []\n`);
    try {
      const res = await fetch(`${bridge.url}/admin/events`, { headers: { authorization: 'Bearer anything' } });
      expect(res.status).toBe(404);
      expect((await fetch(`${bridge.url}/admin/openapi.json`)).status).toBe(404);
    } finally {
      await bridge.close();
    }
  });
});
