import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeJogg } from '../../src/sync/fake-jogg.server';
import { BridgeProcess } from '../support/bridge-process';
import { videoEvent } from '../support/fixtures';
import { waitFor } from '../support/wait';

const SECRET = 'overview-webhook-secret-77';
const TOKEN = 'overview-admin-token-3c1a';
const KEY = 'overview-jogg-api-key';
const PUBLIC = 'https://bridge.example.com';
const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** The text of each cell of a table row whose header cell is `name` (tags dropped), or undefined. */
function row(page: string, name: string): string[] | undefined {
  const escaped = name.replace(/[()]/g, '\\$&');
  const match = new RegExp(`<tr><th scope="row">${escaped}</th>(.*?)</tr>`, 's').exec(page);
  return match ? [...match[1].matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((m) => m[1].replace(/<[^>]+>/g, '').trim()) : undefined;
}

/**
 * The Overview's webhook answers (last hour and day, from the store, every instance) and its sync status per
 * JoggAI endpoint, on the built bridge (dist/main.js) with the fake JoggAI.
 */
describe('console overview: stored webhook answers and sync per endpoint (dist/main.js)', () => {
  let jogg: FakeJogg;
  let bridge: BridgeProcess;
  let config: string;
  let cookie: string;

  const yaml = (imagesEvents: string) => `
store: { path: "\${DIR}/bridge.db" }
jogg:
  secrets: ["${SECRET}"]
  apiKey: "${KEY}"
  apiUrl: "${jogg.url}"
  publicUrl: ${PUBLIC}
  endpoints:
    - { name: videos, events: [generated_video_failed] }
    - { name: images, events: [${imagesEvents}] }
  sync: { auto: true, interval: 1s }
sinks: { out: { type: console } }
routes: [{ name: all, match: { events: ["*"] }, to: [out] }]
`;
  const overview = async () => {
    const answer = await bridge.get('/console', { cookie });
    expect(answer.status).toBe(200);
    return answer.text;
  };

  beforeAll(async () => {
    jogg = await FakeJogg.start({ apiKey: KEY, postsPerMinute: 1000 });
    bridge = await BridgeProcess.launch(yaml('generated_image_failed'), { BRIDGE_ADMIN_TOKEN: TOKEN });
    config = join(bridge.dir!, 'bridge.yaml');
    const login = await fetch(`${bridge.url}/console/login`, { method: 'POST', body: `token=${encodeURIComponent(TOKEN)}`, headers: form, redirect: 'manual' });
    cookie = login.headers.get('set-cookie')!.split(';')[0];
  }, 60_000);

  afterAll(async () => {
    await bridge?.close();
    await jogg?.close();
  });

  it('shows accepted, duplicate and bad-signature answers sent here, for the last hour and day, and keeps them across a restart', async () => {
    const first = videoEvent('generated_video_success', { video_id: 'vid-ov-1' });
    expect((await bridge.webhook(first, SECRET)).status).toBe(200);
    expect((await bridge.webhook(videoEvent('generated_video_failed', { video_id: 'vid-ov-2' }), SECRET)).status).toBe(200);
    expect((await bridge.webhook(first, SECRET)).body).toMatchObject({ status: 'duplicate' });
    for (let i = 0; i < 30; i++) expect((await bridge.webhook(videoEvent(), 'not-the-secret')).status).toBe(401);

    // counted in memory, stored within about 10 s
    await waitFor(async () => row(await overview(), 'bad signature (401)')?.[0] === '30', 20_000, 'the bad signatures on the overview');
    const page = await overview();
    expect(row(page, 'accepted (200)')).toEqual(['2', '2']);
    expect(row(page, 'duplicate (200)')).toEqual(['1', '1']);
    expect(row(page, 'bad signature (401)')).toEqual(['30', '30']);

    // thirty refusals are a row per minute, not a write each
    const db = new Database(join(bridge.dir!, 'bridge.db'), { readonly: true });
    try {
      const rows = db.prepare(`SELECT minute, count FROM answer_counts WHERE outcome = 'bad_signature'`).all() as { minute: number; count: number }[];
      expect(rows.length).toBeLessThanOrEqual(2);
      expect(rows.reduce((n, r) => n + r.count, 0)).toBe(30);
    } finally {
      db.close();
    }

    // answers in the last seconds before a stop are stored at shutdown, and the counts outlive the process
    expect((await bridge.webhook(videoEvent(), 'still-not-the-secret')).status).toBe(401);
    expect(await bridge.stop()).toBe(0);
    bridge = Object.assign(await BridgeProcess.start(config, { BRIDGE_ADMIN_TOKEN: TOKEN }), { dir: bridge.dir });
    const after = await overview();
    expect(row(after, 'bad signature (401)')).toEqual(['31', '31']);
    expect(row(after, 'accepted (200)')).toEqual(['2', '2']);
    // and the charts count them as refused
    expect(after).toMatch(/Last hour, per minute: [^<]*, 31 webhooks refused</);
    expect(after).toMatch(/Last 24 hours, per 15 minutes: [^<]*, 31 webhooks refused</);
  }, 90_000);

  it('shows per JoggAI endpoint what the last sync did, when, and why it failed', async () => {
    // both created by the loop, then in sync at its next runs
    await waitFor(async () => row(await overview(), 'videos')?.[3] === 'in sync' && row(await overview(), 'images')?.[3] === 'in sync', 20_000, 'both endpoints in sync');
    let page = await overview();
    expect(row(page, 'videos')).toEqual(['enabled', 'generated_video_failed', '1', 'in sync', expect.stringMatching(/UTC$/), expect.stringMatching(/UTC$/), '—']);

    // a config edit changes one endpoint's events: that one is updated, the other stays in sync
    writeFileSync(config, yaml('generated_image_failed, generated_image_success').split('${DIR}').join(bridge.dir!));
    bridge.signal('SIGHUP');
    await waitFor(async () => row(await overview(), 'images')?.[3] === 'updated', 20_000, 'images updated');
    expect(row(await overview(), 'videos')?.[3]).toBe('in sync');
    expect(jogg.endpoints.size).toBe(2);

    // JoggAI refuses the key from now on: every endpoint shows the failure and keeps its last success
    const lastOk = row(await overview(), 'videos')![5];
    jogg.inject(...Array.from({ length: 200 }, () => ({ httpStatus: 200, code: 10105, msg: 'Invalid API key' })));
    await waitFor(async () => row(await overview(), 'videos')?.[3] === 'failed', 20_000, 'videos failed');
    page = await overview();
    for (const name of ['videos', 'images']) {
      const cells = row(page, name)!;
      expect(cells[3]).toBe('failed');
      expect(cells[5]).toMatch(/UTC$/);
      expect(cells[6]).toContain('Invalid API key');
    }
    expect(row(page, 'videos')![5] >= lastOk).toBe(true);
    expect(page).not.toContain(KEY);
  }, 90_000);
});
