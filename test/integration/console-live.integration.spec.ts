import { request } from 'node:http';
import { BridgeProcess } from '../support/bridge-process';
import { waitFor } from '../support/wait';

const SECRET = 'console-live-webhook-secret';
const TOKEN = 'console-live-admin-token-71c3';

/** An open live stream (server-sent events) as a forgotten browser tab holds it, against the built bridge. */
const CONFIG = `
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
sinks: { out: { type: console } }
routes: [{ name: all, match: { events: ["*"] }, to: [out] }]
`;

describe('console live stream at shutdown, and console errors as pages (dist/main.js)', () => {
  let bridge: BridgeProcess;

  afterEach(async () => {
    await bridge?.close();
  });

  const signIn = async (): Promise<string> => {
    const res = await fetch(`${bridge.url}/console/login`, {
      method: 'POST', body: `token=${TOKEN}`, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(303);
    return res.headers.get('set-cookie')!.split(';')[0];
  };

  /** Opens the stream as `curl -N` does and collects what arrives; `ended` resolves when the bridge ends it. */
  const openStream = (cookie: string) => {
    const stream = { text: '', ended: false };
    const req = request(`${bridge.url}/console/events/live`, { headers: { cookie, accept: 'text/event-stream' } }, (res) => {
      expect(res.statusCode).toBe(200);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (stream.text += chunk));
      res.on('end', () => (stream.ended = true));
    });
    req.on('error', () => (stream.ended = true));
    req.end();
    return { stream, abort: () => req.destroy() };
  };

  it('ends every open stream when SIGTERM arrives, says why, and exits 0', async () => {
    bridge = await BridgeProcess.launch(CONFIG, { BRIDGE_ADMIN_TOKEN: TOKEN });
    const cookie = await signIn();
    const { stream, abort } = openStream(cookie);
    try {
      await waitFor(() => stream.text.includes('retry:'), 10_000, 'the stream to open');
      bridge.signal('SIGTERM');
      await waitFor(() => stream.ended, 10_000, 'the bridge to end the stream');
      expect(stream.text).toContain('event: stopping');
      await waitFor(() => !bridge.running, 15_000, 'the process to exit while the client stays connected');
      expect(bridge.exitCode).toBe(0);
    } finally {
      abort();
    }
  }, 60_000);

  it('answers errors raised before a console page (unknown path, form too large, wrong body type) as HTML pages, elsewhere as JSON', async () => {
    bridge = await BridgeProcess.launch(CONFIG, { BRIDGE_ADMIN_TOKEN: TOKEN });
    const cookie = await signIn();
    const page = async (method: string, path: string, body?: string, type?: string) => {
      const res = await fetch(`${bridge.url}${path}`, { method, body, redirect: 'manual', headers: { cookie, ...(type ? { 'content-type': type } : {}) } });
      return { status: res.status, type: res.headers.get('content-type') ?? '', csp: res.headers.get('content-security-policy'), text: await res.text() };
    };
    const missing = await page('GET', '/console/nope');
    expect(missing).toMatchObject({ status: 404, type: expect.stringContaining('text/html') });
    expect(missing.text).toContain('<h1>Not found</h1>');
    expect(missing.csp).toContain("default-src 'none'");
    const large = await page('POST', '/console/routes/test', `body=${'x'.repeat(1024 * 1024 + 10)}`, 'application/x-www-form-urlencoded');
    expect(large).toMatchObject({ status: 413, type: expect.stringContaining('text/html') });
    expect(large.text).toContain('Error 413');
    const wrongType = await page('POST', '/console/routes/test', 'body=x', 'text/plain');
    expect(wrongType).toMatchObject({ status: 415, type: expect.stringContaining('text/html') });
    expect(wrongType.text).toContain('Error 415');
    const api = await page('GET', '/admin/nope');
    expect(api).toMatchObject({ status: 404, type: expect.stringContaining('application/json') });
  }, 60_000);
});
