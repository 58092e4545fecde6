import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import { openSqlite } from '../support/store';
import { BridgeProcess } from '../support/bridge-process';
import { videoEvent } from '../support/fixtures';
import { signedHeaders } from '../support/signing';
import { waitFor } from '../support/wait';

const ROOT = join(__dirname, '..', '..');

describe('the service process', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jogg-serve-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts without a secret, warns once, and answers every webhook 401', async () => {
    const config = join(dir, 'bridge.yaml');
    writeFileSync(config, `store: { path: "${dir}/b.db" }\njogg: { secrets: ["\${JOGG_WEBHOOK_SECRET:-}"] }\n`);
    const bridge = await BridgeProcess.start(config, { JOGG_WEBHOOK_SECRET: '' });
    try {
      const body = JSON.stringify(videoEvent());
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body, headers: signedHeaders(body, '') });
        expect(res.status).toBe(401);
      }
      expect(bridge.output.match(/No webhook secret is configured/g)).toHaveLength(1);
    } finally {
      expect(await bridge.stop()).toBe(0);
    }
  });

  it('runs the SQLite writer and checkpointer threads 10 nice steps below the thread that answers webhooks', async () => {
    const config = join(dir, 'bridge.yaml');
    writeFileSync(config, `store: { path: "${dir}/b.db" }\njogg: { secrets: ["s3cret-value"] }\n`);
    const bridge = await BridgeProcess.start(config);
    try {
      const body = JSON.stringify(videoEvent());
      const res = await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body, headers: signedHeaders(body, 's3cret-value') });
      expect(res.status).toBe(200); // the writer thread has started (it starts with the first write)
      // field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value
      const nice = (tid: string) => Number(readFileSync(`/proc/${bridge.pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
      const threads = readdirSync(`/proc/${bridge.pid}/task`).map((tid) => ({ tid, nice: nice(tid) }));
      const main = threads.find((t) => t.tid === String(bridge.pid))!.nice; // 0, or what the test run was started at
      expect(threads.filter((t) => t.nice === Math.min(19, main + 10))).toHaveLength(2);
    } finally {
      expect(await bridge.stop()).toBe(0);
    }
  });

  it('refuses a bad config with every problem and its position, and exits 1', () => {
    const config = join(dir, 'bridge.yaml');
    writeFileSync(config, 'server:\n  port: http\nroutes:\n  - name: x\n    match: { events: ["*"] }\n    to: [nowhere]\n');
    const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js')], { env: { ...process.env, BRIDGE_CONFIG: config }, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`invalid config ${config} (2 problems):`);
    expect(run.stderr).toContain(`${config}:2:9  server.port: port must be an integer number`);
    expect(run.stderr).toContain(`${config}:6:10  routes[0].to[0]: unknown sink "nowhere" (no sinks are defined)`);
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('on SIGTERM during load: every request that got a 200 is stored, later ones get 503 or no answer, exit 0', async () => {
    const config = join(dir, 'bridge.yaml');
    writeFileSync(config, `store: { path: "${dir}/b.db" }\njogg: { secrets: ["s3cret"] }\nsinks: { f: { type: file, path: "${dir}/f.jsonl" } }\nroutes: [{ name: all, match: { events: ["*"] }, to: [f] }]\n`);
    const bridge = await BridgeProcess.start(config);
    const acknowledged: string[] = [];
    const statuses = new Set<number>();
    let stop = false;
    const senders = Array.from({ length: 10 }, async () => {
      while (!stop) {
        const body = videoEvent();
        const text = JSON.stringify(body);
        try {
          const res = await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body: text, headers: signedHeaders(text, 's3cret') });
          await res.text();
          statuses.add(res.status);
          if (res.status === 200) acknowledged.push(body.event_id);
        } catch {
          statuses.add(0);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
    });
    // Signal once the load is under way (a condition, not a time: a busy machine only takes longer).
    await waitFor(() => acknowledged.length >= 20, 20_000, '20 acknowledged webhooks');
    const exit = bridge.kill('SIGTERM');
    expect(await exit).toBe(0);
    stop = true;
    await Promise.all(senders);
    expect([...statuses].every((s) => [200, 503, 0].includes(s))).toBe(true);
    expect(statuses.has(503)).toBe(true); // the drain: the port stays open, answering 503, before it closes
    const store = await openSqlite(join(dir, 'b.db'));
    const stored = new Set((await store.listEvents({ limit: 100_000 })).map((e) => e.eventId));
    await store.close();
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  });

  it('npm start: a SIGTERM to npm reaches the bridge (a supervisor running npm start stops it), and it answers 503 with Retry-After while it drains', async () => {
    const config = join(dir, 'bridge.yaml');
    writeFileSync(config, `store: { path: "${dir}/b.db" }\nserver: { drainTime: 3s }\njogg: { secrets: ["s3cret"] }\nroutes: []\n`);
    const npm = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, BRIDGE_CONFIG: config, PORT: '0', NODE_ENV: 'test' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    npm.stdout.on('data', (c: Buffer) => (output += c.toString()));
    npm.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
    const [, pid, port] = await waitFor(() => /\[Nest\] (\d+) .*listening on http:\/\/[^:]+:(\d+)/.exec(output), 30_000, 'npm start to listen');
    npm.kill('SIGTERM');
    await waitFor(() => output.includes('SIGTERM received'), 10_000, 'the bridge to get the signal');
    const body = JSON.stringify(videoEvent());
    const draining = await fetch(`http://127.0.0.1:${port}/webhooks/jogg`, { method: 'POST', body, headers: signedHeaders(body, 's3cret') });
    expect([draining.status, draining.headers.get('retry-after'), draining.headers.get('connection')]).toEqual([503, '5', 'close']);
    await exited;
    await waitFor(() => {
      try {
        process.kill(Number(pid), 0);
        return false;
      } catch {
        return true; // the bridge is gone, not left behind without its parent
      }
    }, 15_000, 'the bridge process to exit');
  });

  it('PostgreSQL that accepts connections but never answers: the start fails with a reason instead of hanging', async () => {
    const silent = createServer(() => undefined); // takes the TCP connection, says nothing
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const config = join(dir, 'bridge.yaml');
    writeFileSync(config, `store: { driver: postgres, url: "postgres://bridge:pw@127.0.0.1:${port}/jogg" }\nroutes: []\n`);
    try {
      const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], { cwd: ROOT, env: { ...process.env, BRIDGE_CONFIG: config, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(output).toMatch(/timeout/i);
      expect(output).not.toContain(':pw@');
    } finally {
      silent.close();
    }
  });
});
