import { createHash, createHmac } from 'node:crypto';
import { BridgeProcess } from '../support/bridge-process';
import { videoEvent } from '../support/fixtures';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const SECRET = 'console-auth-webhook-secret';
const TOKEN = 'console-auth-admin-token-5b9e';

/** A session cookie as the console signs it, computed here independently (to forge expired or foreign ones). */
function forgeCookie(token: string, session: object): string {
  const key = createHmac('sha256', token).update('jogg-bridge console session v1').digest();
  const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
  return `jb_console=${payload}.${createHmac('sha256', key).update(payload).digest('base64url')}`;
}

const GET_PAGES = ['/console', '/console/events', '/console/events/1', '/console/events/live', '/console/dead', '/console/dead/confirm', '/console/routes'];
const POSTS = ['/console/deliveries/1/replay', '/console/dead/replay', '/console/routes/test', '/console/logout'];
const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** One request, redirects not followed (they are what is tested). */
async function call(base: string, method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, { method, body, headers, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Nothing in the console can be read or changed without signing in: the built bridge, over real HTTP. */
describe('console sign-in, session and CSRF (dist/main.js)', () => {
  let bridge: BridgeProcess;
  let hook: Receiver;

  beforeAll(async () => {
    hook = await Receiver.start();
    hook.always({ status: 400, body: 'no' });
    bridge = await BridgeProcess.launch(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
retry: { attempts: 1 }
sinks: { crm: { type: http, url: "${hook.url}/hook" } }
routes: [{ name: all, match: { events: ["*"] }, to: [crm] }]
`, { BRIDGE_ADMIN_TOKEN: TOKEN });
    expect((await bridge.webhook(videoEvent('generated_video_failed', { video_id: 'vid-auth-1' }), SECRET)).status).toBe(200);
    await waitFor(async () => (await deadCount()) === 1, 10_000, 'a dead letter');
  }, 60_000);

  afterAll(async () => {
    await bridge?.close();
    await hook?.close();
  });

  const deadCount = async () => (await bridge.get('/admin/deliveries?status=dead', { authorization: `Bearer ${TOKEN}` })).body.length as number;
  const signIn = async (): Promise<string> => {
    const answer = await call(bridge.url, 'POST', '/console/login', `token=${encodeURIComponent(TOKEN)}`, form);
    expect(answer.status).toBe(303);
    return answer.headers.get('set-cookie')!.split(';')[0];
  };
  const csrfOf = async (cookie: string) => /name="_csrf" value="([^"]+)"/.exec((await call(bridge.url, 'GET', '/console/dead', undefined, { cookie })).text)![1];

  it('sends every page to sign-in without a session, and refuses every change with 401', async () => {
    for (const path of GET_PAGES) {
      const answer = await call(bridge.url, 'GET', path);
      expect({ path, status: answer.status, location: answer.headers.get('location') }).toEqual({ path, status: 303, location: expect.stringMatching(/^\/console\/login\?next=/) });
    }
    for (const path of POSTS) {
      const answer = await call(bridge.url, 'POST', path, 'body=%7B%7D', form);
      expect({ path, status: answer.status }).toEqual({ path, status: 401 });
    }
    expect(await deadCount()).toBe(1);
  });

  it('refuses forged, foreign and expired session cookies', async () => {
    const now = Date.now();
    const expired = forgeCookie(TOKEN, { sid: 'abc', exp: now - 1000 });
    const foreign = forgeCookie('some-other-token', { sid: 'abc', exp: now + 3600_000 });
    const valid = await signIn();
    const [payload, mac] = valid.slice('jb_console='.length).split('.');
    const lengthened = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), exp: now + 365 * 86_400_000 })).toString('base64url');
    for (const cookie of [expired, foreign, `jb_console=${lengthened}.${mac}`, 'jb_console=garbage', `jb_console=${payload}`]) {
      expect({ cookie, status: (await call(bridge.url, 'GET', '/console/events', undefined, { cookie })).status }).toEqual({ cookie, status: 303 });
    }
    expect((await call(bridge.url, 'GET', '/console/events', undefined, { cookie: valid })).status).toBe(200);
    expect((await call(bridge.url, 'GET', '/console/events', undefined, { cookie: forgeCookie(TOKEN, { sid: 'abc', exp: now + 60_000 }) })).status).toBe(200); // the forger here knows the token
  });

  it('needs the session CSRF token on every change', async () => {
    const cookie = await signIn();
    const other = await csrfOf(await signIn());
    const [deadLetter] = (await bridge.get('/admin/deliveries?status=dead', { authorization: `Bearer ${TOKEN}` })).body;
    for (const token of [undefined, '', 'wrong', other]) {
      const body = token === undefined ? '' : `_csrf=${encodeURIComponent(token)}`;
      const answer = await call(bridge.url, 'POST', `/console/deliveries/${deadLetter.id}/replay`, body, { ...form, cookie });
      expect({ token, status: answer.status }).toEqual({ token, status: 403 });
      expect(answer.text).toContain('CSRF token missing or wrong');
    }
    expect(await deadCount()).toBe(1);
    const csrf = await csrfOf(cookie);
    hook.always({ status: 200, body: 'ok' });
    const answer = await call(bridge.url, 'POST', `/console/deliveries/${deadLetter.id}/replay`, `_csrf=${encodeURIComponent(csrf)}`, { ...form, cookie });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(`/console/events/${deadLetter.eventPk}?replayed=${deadLetter.id}#delivery-${deadLetter.id}`);
    await waitFor(async () => (await deadCount()) === 0, 10_000, 'the replayed delivery to go through');
    // the header form works too (for scripts)
    expect((await call(bridge.url, 'POST', '/console/routes/test', 'body=%7B%7D', { ...form, cookie, 'x-csrf-token': csrf })).status).toBe(400);
  });

  it('serves pages with a strict CSP and no framing, and the cookie HttpOnly, SameSite=Strict, Secure behind HTTPS', async () => {
    const page = await call(bridge.url, 'GET', '/console/login');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const plain = await call(bridge.url, 'POST', '/console/login', `token=${TOKEN}`, form);
    expect(plain.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict; Max-Age=28800$/);
    const proxied = await call(bridge.url, 'POST', '/console/login', `token=${TOKEN}`, { ...form, 'x-forwarded-proto': 'https' });
    expect(proxied.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
    for (const next of ['//evil.example/console', 'https://evil.example/', '/console/../admin', '/consolex', '/console\\@evil.example']) {
      const answer = await call(bridge.url, 'POST', `/console/login?next=${encodeURIComponent(next)}`, `token=${TOKEN}`, form);
      expect({ next, location: answer.headers.get('location') }).toEqual({ next, location: '/console' });
    }
    const kept = await call(bridge.url, 'POST', `/console/login?next=${encodeURIComponent('/console/dead?sink=crm')}`, `token=${TOKEN}`, form);
    expect(kept.headers.get('location')).toBe('/console/dead?sink=crm');
  });

  it('refuses a form posted from another site, sign-in included', async () => {
    const host = new URL(bridge.url).host;
    expect((await call(bridge.url, 'POST', '/console/login', `token=${TOKEN}`, { ...form, origin: 'https://evil.example' })).status).toBe(403);
    expect((await call(bridge.url, 'POST', '/console/login', `token=${TOKEN}`, { ...form, origin: 'null' })).status).toBe(403);
    expect((await call(bridge.url, 'POST', '/console/login', `token=${TOKEN}`, { ...form, origin: `http://${host}` })).status).toBe(303);
  });

  it('takes forms on console routes only: the admin API still refuses them', async () => {
    const answer = await call(bridge.url, 'POST', '/admin/replay', 'dead=true', { ...form, authorization: `Bearer ${TOKEN}` });
    expect(answer.status).toBe(415);
  });

  it('slows down guessing: after 5 wrong tokens from one address, sign-in is refused for a while, and no token is logged', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await call(bridge.url, 'POST', '/console/login', `token=guess-${i}-x`, form)).status).toBe(401);
    }
    const blocked = await call(bridge.url, 'POST', '/console/login', `token=${TOKEN}`, form);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.headers.get('set-cookie')).toBeNull();
    expect(bridge.output).toContain('console sign-in refused');
    expect(bridge.output).not.toMatch(/guess-\d-x/);
    expect(bridge.output).not.toContain(TOKEN);
  });
});

describe('console without BRIDGE_ADMIN_TOKEN (dist/main.js)', () => {
  it('does not exist', async () => {
    const bridge = await BridgeProcess.launch(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
sinks: { out: { type: console } }
routes: [{ name: all, match: { events: ["*"] }, to: [out] }]
`, { BRIDGE_ADMIN_TOKEN: '' });
    try {
      for (const path of [...GET_PAGES, '/console/login', '/console/assets/console.js']) expect({ path, status: (await call(bridge.url, 'GET', path)).status }).toEqual({ path, status: 404 });
      const off = await call(bridge.url, 'GET', '/console');
      expect(off.text).toContain('the console is off (set BRIDGE_ADMIN_TOKEN to turn it on)');
      expect(off.text).not.toContain('href="/console"'); // no way "back" to a console that does not exist
      expect((await call(bridge.url, 'POST', '/console/login', `token=${createHash('sha256').update('').digest('hex')}`, form)).status).toBe(404);
    } finally {
      await bridge.close();
    }
  });
});
