import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeJogg } from '../../src/sync/fake-jogg.server';
import { BridgeProcess } from '../support/bridge-process';
import { cli } from '../support/cli';
import { waitFor } from '../support/wait';

const KEY = 'sync-test-api-key';
const PUBLIC = 'https://bridge.example.com';

describe('sync: config → sync apply → JoggAI emits → the bridge verifies and routes', () => {
  let dir: string;
  let jogg: FakeJogg;
  let bridge: BridgeProcess | undefined;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jogg-sync-'));
    jogg = await FakeJogg.start({ apiKey: KEY, deliverTo: (url) => url.replace(PUBLIC, bridge!.url) });
  });
  afterEach(async () => {
    await bridge?.stop();
    bridge = undefined;
    await jogg.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const writeConfig = (endpoints: string) => {
    const file = join(dir, 'bridge.yaml');
    writeFileSync(file, `
store: { path: "${dir}/bridge.db" }
jogg:
  apiKey: "\${JOGG_API_KEY}"
  apiUrl: "${jogg.url}"
  publicUrl: ${PUBLIC}
  endpoints: ${endpoints}
delivery: { pollInterval: 100ms }
sinks: { file: { type: file, path: "${dir}/events.jsonl" } }
routes:
  - { name: failures, match: { events: ["*_failed"] }, to: [file] }
`);
    return file;
  };
  const env = () => ({ JOGG_API_KEY: KEY });

  it('plans, applies, captures the secret, and the running bridge verifies what JoggAI sends', async () => {
    const config = writeConfig('[{ name: videos, events: auto }, { name: images, events: [generated_image_failed], status: disabled }]');
    bridge = await BridgeProcess.start(config, env());

    const plan = await cli(['sync', 'plan', '--config', config], env());
    expect(plan.status).toBe(2);
    expect(plan.stdout).toContain(`+ create videos → ${PUBLIC}/webhooks/jogg/videos [enabled] create_avatar_failed, generated_avatar_video_failed`);
    expect(plan.stdout).toContain(`+ create images → ${PUBLIC}/webhooks/jogg/images [disabled] generated_image_failed`);

    const apply = await cli(['sync', 'apply', '--config', config], env());
    expect([apply.status, apply.stderr]).toEqual([0, '']);
    expect(apply.stdout).toMatch(/^created videos \(wh_\w+\)\ncreated images \(wh_\w+\)\n$/);
    const videos = [...jogg.endpoints.values()].find((e) => e.url.endsWith('/videos'))!;
    expect(videos.events).toHaveLength(11); // every *_failed event of the catalogue

    expect((await cli(['sync', 'plan', '--config', config], env())).status).toBe(0);

    // right after the CLI's apply, the running bridge verifies the secret it captured (no 401 window)
    expect(await jogg.emit('generated_video_failed')).toEqual([
      { url: `${PUBLIC}/webhooks/jogg/videos`, deliveredTo: `${bridge.url}/webhooks/jogg/videos`, status: 200 },
    ]);
    // images is disabled: only videos (auto: every *_failed event) gets it
    expect((await jogg.emit('generated_image_failed')).map((r) => r.url)).toEqual([`${PUBLIC}/webhooks/jogg/videos`]);
    await waitFor(() => existsSync(join(dir, 'events.jsonl')) && readFileSync(join(dir, 'events.jsonl'), 'utf8').includes('generated_video_failed'));
  }, 60_000);

  it('updates and deletes what changed, and leaves foreign endpoints alone', async () => {
    const first = writeConfig('[{ name: videos, events: [generated_video_failed] }, { name: old, events: [generated_video_failed] }]');
    expect((await cli(['sync', 'apply', '--config', first], env())).status).toBe(0);
    const foreign = await fetch(`${jogg.url}/v2/endpoint`, {
      method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://elsewhere.example.com/hook', status: 'enabled', events: ['generated_video_failed'] }),
    });
    expect(foreign.status).toBe(200);
    const second = writeConfig('[{ name: videos, events: [generated_video_failed, generated_video_success] }]');
    const plan = await cli(['sync', 'plan', '--config', second, '--json'], env());
    expect(plan.status).toBe(2);
    const parsed = JSON.parse(plan.stdout);
    expect(parsed.actions.map((a: { kind: string; name: string }) => `${a.kind} ${a.name}`)).toEqual(['update videos', 'delete old']);
    expect(parsed.foreign).toEqual([{ endpointId: expect.any(String), url: 'https://elsewhere.example.com/hook' }]);
    const apply = await cli(['sync', 'apply', '--config', second], env());
    expect(apply.stdout).toMatch(/^updated videos \(wh_\w+\): \+ generated_video_success\ndeleted old \(wh_\w+\)\n$/);
    expect([...jogg.endpoints.values()].map((e) => e.url).sort()).toEqual([`${PUBLIC}/webhooks/jogg/videos`, 'https://elsewhere.example.com/hook']);
  });

  it('fails with one line for a bad API key and for refusals, exit 1, without showing the key', async () => {
    const config = writeConfig('[{ name: videos, events: [generated_hologram_success] }]');
    const refused = await cli(['sync', 'plan', '--config', config], env());
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain("! endpoint \"videos\": generated_hologram_success not in JoggAI's event catalogue");
    const badKey = await cli(['sync', 'apply', '--config', config], { JOGG_API_KEY: 'nope-not-the-key' });
    expect(badKey.status).toBe(1);
    expect(badKey.stderr).toBe('jogg-bridge: JoggAI GET /v2/events: Invalid API key (code 10105, HTTP 401)\n');
  });
});

/** A bridge config wired to a JoggAI stand-in, with one file sink that takes every event. */
function standInConfig(dir: string, joggUrl: string, extraJogg = ''): string {
  const file = join(dir, 'bridge.yaml');
  writeFileSync(file, `
store: { path: "${dir}/bridge.db" }
jogg:
  apiKey: "\${JOGG_API_KEY}"
  apiUrl: "${joggUrl}"
  publicUrl: ${PUBLIC}
  endpoints: [{ name: videos, events: [generated_video_failed] }]
${extraJogg}
delivery: { pollInterval: 100ms }
sinks: { file: { type: file, path: "${dir}/events.jsonl" } }
routes: [{ name: all, match: { events: ["*"] }, to: [file] }]
`);
  return file;
}

describe('rotation', () => {
  it('overlaps two secrets with no event lost and none delivered twice, then drops the old endpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jogg-rotate-'));
    let bridge: BridgeProcess | undefined;
    const jogg = await FakeJogg.start({ apiKey: KEY, deliverTo: (url) => url.replace(PUBLIC, bridge!.url) });
    try {
      const config = standInConfig(dir, jogg.url);
      const env = { JOGG_API_KEY: KEY };
      bridge = await BridgeProcess.start(config, env);
      expect((await cli(['sync', 'apply', '--config', config], env)).status).toBe(0);
      const rotate = await cli(['sync', 'rotate', 'videos', '--grace', '1h', '--config', config], env);
      expect([rotate.status, rotate.stderr]).toEqual([0, '']);
      expect(rotate.stdout).toMatch(/^created videos~1 \(wh_\w+\); both secrets verify until /);
      expect([...jogg.endpoints.values()].map((e) => e.url).sort()).toEqual([`${PUBLIC}/webhooks/jogg/videos`, `${PUBLIC}/webhooks/jogg/videos~1`]);
      const plan = await cli(['sync', 'plan', '--config', config], env);
      expect([plan.status, plan.stdout]).toEqual([0, expect.stringContaining('kept until the rotation ends')]);

      const sent: string[] = [];
      let counter = 0;
      const emit = async () => {
        const body = { event_id: `rot-${counter}`, event: 'generated_video_failed', timestamp: Math.floor(Date.now() / 1000), data: { video_id: `v${counter}` } };
        const results = await jogg.emit('generated_video_failed', body);
        // accepted by the bridge at least once (before its keyring refresh, JoggAI would retry the others)
        if (results.some((r) => r.status === 200)) sent.push(body.event_id);
        counter += 1;
        return results;
      };
      // both endpoints get every event during the overlap; the bridge accepts both (after its keyring refresh)
      await waitFor(async () => (await emit()).every((r) => r.status === 200), 15_000, 'both secrets to verify');
      for (let i = 0; i < 9; i++) expect((await emit()).map((r) => r.status)).toEqual([200, 200]);

      const finish = await cli(['sync', 'rotate', 'videos', '--finish', '--config', config], env);
      expect(finish.stdout).toMatch(/^deleted videos \(wh_\w+\)$/m);
      expect([...jogg.endpoints.values()].map((e) => e.url)).toEqual([`${PUBLIC}/webhooks/jogg/videos~1`]);
      for (let i = 0; i < 5; i++) expect((await emit()).map((r) => r.status)).toEqual([200]);

      const file = join(dir, 'events.jsonl');
      await waitFor(() => existsSync(file) && sent.every((id) => readFileSync(file, 'utf8').includes(`"${id}"`)), 10_000, 'every event delivered')
        .catch((e) => { throw new Error(`${e.message}: sent ${sent.join(',')}; file ${existsSync(file) ? readFileSync(file, 'utf8').slice(0, 500) : 'none'}; output ${bridge!.output.slice(-1500)}`); });
      const ids = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line).event_id as string);
      expect(ids.sort()).toEqual([...sent].sort());
      expect(sent.length).toBeGreaterThanOrEqual(15);
    } finally {
      await bridge?.stop();
      await jogg.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('sync in the service (sync.auto)', () => {
  it('applies at start, reports in readiness and metrics, and keeps ingesting while JoggAI fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jogg-sync-auto-'));
    let bridge: BridgeProcess | undefined;
    const jogg = await FakeJogg.start({ apiKey: KEY, deliverTo: (url) => url.replace(PUBLIC, bridge!.url) });
    try {
      const config = standInConfig(dir, jogg.url, '  sync: { auto: true, interval: 500ms }');
      bridge = await BridgeProcess.start(config, { JOGG_API_KEY: KEY });
      const ready = await waitFor(async () => {
        const body = (await (await fetch(`${bridge!.url}/readyz`)).json()) as { checks: { sync: { status: string; lastSuccessAt?: number } } };
        return body.checks.sync.status === 'up' ? body : undefined;
      }, 10_000, 'the first sync');
      expect(ready.checks.sync.lastSuccessAt).toBeGreaterThan(0);
      expect([...jogg.endpoints.values()].map((e) => e.url)).toEqual([`${PUBLIC}/webhooks/jogg/videos`]);
      const metrics = await (await fetch(`${bridge.url}/metrics`)).text();
      expect(Number(/^bridge_sync_last_success_timestamp_seconds (\d+)/m.exec(metrics)![1])).toBeGreaterThan(1_700_000_000);
      expect(await waitFor(async () => (await jogg.emit('generated_video_failed'))[0]?.status === 200, 10_000)).toBe(true);

      jogg.inject(...Array.from({ length: 40 }, () => ({ httpStatus: 200, code: 10105, msg: 'Invalid API key' })));
      const down = await waitFor(async () => {
        const body = (await (await fetch(`${bridge!.url}/readyz`)).json()) as { ready: boolean; checks: { sync: { status: string; error?: string } } };
        return body.checks.sync.status === 'down' ? body : undefined;
      }, 10_000, 'a failed sync');
      expect(down.ready).toBe(true);
      expect(down.checks.sync.error).toContain('Invalid API key');
      // a failed sync never stops ingest: the captured secret still verifies
      const delivered = await (async () => {
        const endpoint = [...jogg.endpoints.values()][0];
        const { sign } = await import('../../src/common/webhook-signature');
        const body = JSON.stringify({ event_id: 'during-outage', event: 'generated_video_failed', timestamp: Math.floor(Date.now() / 1000), data: { video_id: 'v' } });
        return (await fetch(`${bridge!.url}/webhooks/jogg/videos`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-webhook-signature': sign(body, endpoint.secret) } })).status;
      })();
      expect(delivered).toBe(200);
      expect((bridge.output.match(/sync failed/g) ?? []).length).toBe(1);
    } finally {
      await bridge?.stop();
      await jogg.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
