import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { BridgeProcess } from '../support/bridge-process';
import { videoEvent } from '../support/fixtures';
import { HoldingServer } from '../support/holding-server';
import { waitFor } from '../support/wait';

/**
 * Faults against the shipped process: `node dist/main.js` with NODE_ENV=production (the JSON logger, as
 * deployed). Whatever happens here, the process keeps running and exits only on SIGTERM, with 0.
 */
const SECRET = 'process-faults-secret';
jest.setTimeout(60_000);

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function logged(bridge: BridgeProcess, level: string, pattern: RegExp): number {
  return bridge.logLines().filter((line) => line.level === level && pattern.test(line.message)).length;
}

async function metric(bridge: BridgeProcess, name: string): Promise<number> {
  const text = (await bridge.get('/metrics')).text;
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!match) throw new Error(`no metric ${name} in:\n${text.slice(0, 500)}`);
  return Number(match[1]);
}

function fileHas(file: string, eventId: string): boolean {
  return existsSync(file) && readFileSync(file, 'utf8').includes(eventId);
}

/** The invariant of every test here: alive until SIGTERM, then exit 0, and the safety net never fired. */
async function expectAliveThenCleanExit(bridge: BridgeProcess): Promise<void> {
  expect(bridge.running).toBe(true);
  expect((await bridge.get('/healthz')).status).toBe(200);
  const output = bridge.output;
  expect(await bridge.close()).toBe(0);
  expect(output).not.toMatch(/exiting for a restart|TypeError|Cannot read properties/);
}

describe('the shipped process under faults (NODE_ENV=production)', () => {
  it('refuses bad config edits (by file and by SIGHUP), keeps serving the last good config, and says why', async () => {
    const gone = await closedPort();
    const good = (sinks: string, to: string) => `
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms }
retry: { attempts: 1000, backoff: { initial: 200ms, max: 1s } }
sinks:
  f: { type: file, path: "\${DIR}/events.jsonl" }
${sinks}
routes: [{ name: all, match: { events: ["*"] }, to: [${to}] }]
`;
    const bridge = await BridgeProcess.launch(good(`  gone: { type: http, url: "http://127.0.0.1:${gone}/x", timeout: 1s }`, 'f, gone'), {}, { production: true, ready: true });
    const events = join(bridge.dir, 'events.jsonl');
    const edit = (text: string) => writeFileSync(bridge.configPath, text.split('${DIR}').join(bridge.dir));
    try {
      const bad = [
        { name: 'unknown sink', text: good('', 'f, nosuch'), reason: /bridge\.yaml:\d+:\d+\s+routes\[0\]\.to\[1\]: unknown sink "nosuch"/ },
        { name: 'bad indentation', text: good('', 'f').replace('\nroutes:', '\n routes:'), reason: /bridge\.yaml:\d+:\d+\s+All mapping items must start at the same column/ },
        { name: 'unset variable', text: good('', 'f').replace(`["${SECRET}"]`, '["${PROCESS_FAULTS_UNSET}"]'), reason: /bridge\.yaml:\d+:\d+\s+environment variable PROCESS_FAULTS_UNSET is not set/ },
      ];
      for (const change of bad) {
        edit(change.text);
        await waitFor(() => logged(bridge, 'error', change.reason) >= 1, 10_000, `the file edit (${change.name}) refused`);
        expect(await metric(bridge, 'bridge_config_reload_success')).toBe(0);
        const before = logged(bridge, 'error', change.reason);
        bridge.signal('SIGHUP');
        await waitFor(() => logged(bridge, 'error', change.reason) > before, 10_000, `SIGHUP (${change.name}) refused`);
        expect(logged(bridge, 'error', /^config refused, the running config stays/)).toBeGreaterThanOrEqual(2);
        // the running config (with both sinks and the secret) still serves
        const event = videoEvent();
        expect((await bridge.webhook(event, SECRET)).status).toBe(200);
        await waitFor(() => fileHas(events, event.event_id), 10_000, `${change.name}: delivered on the running config`);
        expect(bridge.running).toBe(true);
      }
      // a good edit that drops a sink with deliveries still waiting: applied, and the orphans are dead-lettered
      edit(good('', 'f'));
      await waitFor(() => logged(bridge, 'log', /reloaded/), 10_000, 'the good edit applied').catch((e) => {
        throw new Error(`${e.message}\n${bridge.output.slice(-3000)}`);
      });
      expect(await metric(bridge, 'bridge_config_reload_success')).toBe(1);
      await waitFor(() => logged(bridge, 'warn', /waiting deliveries name sinks that are no longer configured: dead-lettered/), 10_000, 'orphans dead-lettered');

      // an emptied file (an editor truncating before it writes) is refused: it must not mean "no sinks, no routes"
      edit('# nothing yet\n');
      await waitFor(() => logged(bridge, 'error', /bridge\.yaml: the file holds no settings \(empty, or comments only\); keeping the running config/) >= 1, 10_000, 'the emptied file refused');
      expect(await metric(bridge, 'bridge_config_reload_success')).toBe(0);
      // a server setting changed beside a sink: the sink change applies now, the server's waits for a restart (named, no value)
      const moved = join(bridge.dir, 'moved.jsonl');
      edit(`server: { bodyLimit: 100b }\n${good('', 'f').replace('events.jsonl', 'moved.jsonl')}`);
      await waitFor(() => logged(bridge, 'warn', /bridge\.yaml: server\.bodyLimit changed: they take effect at the next restart \(the running values stay until then\)/) >= 1, 10_000, 'the server change deferred');
      expect(await metric(bridge, 'bridge_config_reload_success')).toBe(1);
      const event = videoEvent();
      expect((await bridge.webhook(event, SECRET)).status).toBe(200); // a body over 100 bytes: the running limit stays
      await waitFor(() => fileHas(moved, event.event_id), 10_000, 'delivered by the changed sink');
      await expectAliveThenCleanExit(bridge);
    } finally {
      await bridge.close();
    }
  });

  it('a store that cannot write (db and WAL immutable): 503 + Retry-After, /readyz says why, failed claims and settles are logged; recovers alone', async () => {
    const hook = await HoldingServer.start();
    const bridge = await BridgeProcess.launch(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms, lease: 2s }
retry: { attempts: 1000, backoff: { initial: 100ms, max: 500ms } }
sinks: { hook: { type: http, url: "${hook.url}/hook", timeout: 30s } }
routes: [{ name: all, match: { events: ["*"] }, to: [hook] }]
`, { BRIDGE_ADMIN_TOKEN: 'process-faults-admin' }, { production: true, ready: true });
    const files = ['bridge.db', 'bridge.db-wal'].map((f) => join(bridge.dir, f));
    const immutable = (on: boolean) => execFileSync('chattr', [on ? '+i' : '-i', ...files]);
    const admin = { authorization: 'Bearer process-faults-admin', 'content-type': 'application/json' };
    try {
      const warm = videoEvent();
      expect((await bridge.webhook(warm, SECRET)).status).toBe(200);
      const delivered = await waitFor(async () => (await bridge.get('/admin/deliveries?status=delivered', admin)).body[0], 10_000, 'a first delivery');
      hook.hold = 1;
      const inFlight = videoEvent();
      expect((await bridge.webhook(inFlight, SECRET)).status).toBe(200);
      await waitFor(() => hook.held.length === 1, 10_000, 'a send in flight');
      immutable(true);
      try {
        const refused = videoEvent();
        const answer = await bridge.webhook(refused, SECRET);
        expect(answer.status).toBe(503);
        expect(answer.headers.get('retry-after')).toBe('5');
        expect(answer.body.errorId).toEqual(expect.any(String));
        // 20 more refusals: still one log line (a store outage must not flood the log)
        for (let i = 0; i < 20; i++) expect((await bridge.webhook(videoEvent(), SECRET)).status).toBe(503);
        expect(logged(bridge, 'error', /^store unavailable: /)).toBe(1);
        const ready = await bridge.get('/readyz');
        expect(ready.status).toBe(503);
        expect(ready.body.checks.store).toEqual({ status: 'down', error: expect.stringMatching(/I\/O|disk|readonly|write/i) });
        // a Nest route that writes: the same 503
        const replay = await bridge.request('POST', '/admin/replay', JSON.stringify({ ids: [delivered.id] }), admin);
        expect(replay.status).toBe(503);
        expect(replay.body).toEqual(expect.objectContaining({ message: 'store unavailable, retry later', errorId: expect.any(String) }));
        // the lease of the send in flight runs out: claiming it again fails (logged once, not on every poll)
        await waitFor(() => logged(bridge, 'error', /^cannot claim deliveries for hook: /), 10_000, 'the failed claim logged');
        // the send in flight succeeds, but its result cannot be recorded
        hook.held[0].answer(200);
        await waitFor(() => logged(bridge, 'error', /: cannot record the result \(.*\); it will be tried again$/), 10_000, 'the failed settle logged');
        expect(logged(bridge, 'error', /^cannot claim deliveries for hook: /)).toBe(1);
        expect(logged(bridge, 'error', /store unavailable|StoreUnavailable|cannot write|I\/O/i)).toBeGreaterThanOrEqual(1);
        expect(bridge.running).toBe(true);
      } finally {
        immutable(false);
      }
      await waitFor(async () => (await bridge.get('/readyz')).status === 200, 20_000, 'ready again');
      const after = videoEvent();
      expect((await bridge.webhook(after, SECRET)).status).toBe(200);
      // the delivery whose result was lost is sent again (at-least-once), the new one too
      await waitFor(() => hook.eventIds().has(after.event_id) && hook.bodies.filter((b) => b.includes(inFlight.event_id)).length >= 2, 15_000, 'both delivered');
      await waitFor(() => logged(bridge, 'log', /^claiming deliveries for hook works again$/), 20_000, 'claims back');
      await expectAliveThenCleanExit(bridge);
    } finally {
      if (files.every(existsSync)) immutable(false);
      await bridge.close();
      await hook.close();
    }
  });

  it('logs, as JSON, the warnings of a misconfigured start, a failing sync, a dead letter and a lost lease', async () => {
    const jogg = await closedPort();
    const quiet = await BridgeProcess.launch(`
store: { path: "\${DIR}/bridge.db" }
jogg:
  apiKey: "\${JOGG_API_KEY}"
  apiUrl: "http://127.0.0.1:${jogg}"
  publicUrl: https://bridge.example.com
  endpoints: [{ name: videos, events: [generated_video_failed] }]
  sync: { auto: true, interval: 500ms }
sinks: { f: { type: file, path: "\${DIR}/events.jsonl" } }
routes: [{ name: all, match: { events: ["*"] }, to: [f] }]
`, { JOGG_API_KEY: 'process-faults-api-key', JOGG_WEBHOOK_SECRET: '' }, { production: true, ready: true });
    try {
      await waitFor(() => logged(quiet, 'warn', /^No webhook secret is configured/), 5000, 'the no-secret warning');
      await waitFor(() => logged(quiet, 'warn', /^sync failed \(ingest goes on with the known secrets\): /), 10_000, 'the sync warning');
      expect(quiet.output).not.toContain('process-faults-api-key');
      await expectAliveThenCleanExit(quiet);
    } finally {
      await quiet.close();
    }

    const hook = await HoldingServer.start();
    const reject = await HoldingServer.start();
    reject.status = 400;
    const bridge = await BridgeProcess.launch(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms, lease: 1s }
retry: { attempts: 1000, backoff: { initial: 100ms, max: 500ms } }
sinks:
  hook: { type: http, url: "${hook.url}/hook", timeout: 30s }
  reject: { type: http, url: "${reject.url}/reject" }
routes:
  - { name: ok, match: { events: ["*_success"] }, to: [hook] }
  - { name: bad, match: { events: ["*_failed"] }, to: [reject] }
`, {}, { production: true, ready: true });
    try {
      // held past its lease: claimed and sent again; the late answer's result is refused
      hook.hold = 1;
      const slow = videoEvent('generated_video_success');
      expect((await bridge.webhook(slow, SECRET)).status).toBe(200);
      await waitFor(() => hook.held.length === 1, 10_000, 'the first send held');
      await waitFor(() => hook.bodies.length >= 2, 10_000, 'the second send after the lease');
      hook.held[0].answer(200);
      await waitFor(() => logged(bridge, 'warn', /: lease lost before the result was recorded; it will be tried again$/), 10_000, 'the lost lease');
      expect((await bridge.webhook(videoEvent('generated_video_failed'), SECRET)).status).toBe(200);
      await waitFor(() => logged(bridge, 'warn', / to reject dead-lettered: HTTP 400/), 10_000, 'the dead letter');
      await expectAliveThenCleanExit(bridge);
    } finally {
      await bridge.close();
      await hook.close();
      await reject.close();
    }
  });

  it('an error no code path handles (a bug) is logged and the process exits 1 for its supervisor to restart it', async () => {
    const yaml = `
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
sinks: { f: { type: file, path: "\${DIR}/events.jsonl" } }
routes: [{ name: all, match: { events: ["*"] }, to: [f] }]
`;
    const preload = ['--require', join(__dirname, '..', 'support', 'fault-preload.js')];
    for (const [signal, kind] of [['SIGUSR2', 'unhandled promise rejection'], ['SIGWINCH', 'uncaught exception']] as const) {
      const bridge = await BridgeProcess.launch(yaml, {}, { production: true, ready: true, nodeArgs: preload });
      try {
        bridge.signal(signal);
        await waitFor(() => !bridge.running, 10_000, 'the process to exit');
        expect(bridge.exitCode).toBe(1);
        const fatal = bridge.logLines().filter((l) => l.level === 'fatal');
        expect(fatal.map((l) => l.message)).toEqual([expect.stringMatching(new RegExp(`^${kind}, exiting for a restart: Error: deliberate`))]);
      } finally {
        await bridge.close();
      }
    }
  });
});
