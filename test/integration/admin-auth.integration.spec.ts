import { BridgeProcess } from '../support/bridge-process';

const TOKEN = 'admin-auth-token-7c1d0e';

/** Guessing the admin token is slowed per address, on the built bridge over real HTTP; the token never reaches the log. */
describe('admin API token guessing (dist/main.js)', () => {
  let bridge: BridgeProcess;

  beforeAll(async () => {
    bridge = await BridgeProcess.launch(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["admin-auth-webhook-secret"] }
sinks: { out: { type: console } }
routes: [{ name: all, match: { events: ["*"] }, to: [out] }]
`, { BRIDGE_ADMIN_TOKEN: TOKEN });
  }, 60_000);

  afterAll(() => bridge?.close());

  const events = (headers: Record<string, string>) => fetch(`${bridge.url}/admin/events`, { headers, signal: AbortSignal.timeout(10_000) });

  it('answers 401 to thirty wrong tokens, then 429 with Retry-After to that address, the right token included', async () => {
    for (let i = 0; i < 5; i++) expect((await events({})).status).toBe(401); // no header: no guess, not counted
    for (let i = 0; i < 30; i++) expect([i, (await events({ authorization: `Bearer guess-${i}-x` })).status]).toEqual([i, 401]);
    const blocked = await events({ authorization: `Bearer ${TOKEN}` });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as { message: string }).message).toMatch(/too many wrong admin tokens/);
    expect(bridge.output).toContain('admin API refused a request from 127.0.0.1: wrong or missing authorization');
    expect(bridge.output).not.toMatch(/guess-\d+-x/);
    expect(bridge.output).not.toContain(TOKEN);
    expect((await fetch(`${bridge.url}/healthz`)).status).toBe(200); // the rest of the bridge answers as before
  });
});
