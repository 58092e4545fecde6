import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../support/store';
import { startBridge } from '../support/bridge';
import { BridgeProcess } from '../support/bridge-process';
import { videoEvent } from '../support/fixtures';
import { Receiver } from '../support/receiver';
import { signedHeaders } from '../support/signing';
import { sleep, waitFor } from '../support/wait';

const SECRET = 'faults-secret';
jest.setTimeout(120_000);

async function post(url: string, body: object): Promise<number> {
  const text = JSON.stringify(body);
  try {
    const res = await fetch(`${url}/webhooks/jogg`, { method: 'POST', body: text, headers: signedHeaders(text, SECRET), signal: AbortSignal.timeout(5000) });
    await res.text();
    return res.status;
  } catch {
    return 0; // no answer: the process died mid-request
  }
}

/** Writes into `file` until the file system is full. */
function fillUp(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (;;) writeSync(fd, Buffer.alloc(4096));
  } catch {
    // ENOSPC: full
  } finally {
    closeSync(fd);
  }
}

function countLines(file: string): Map<string, number> {
  const counts = new Map<string, number>();
  if (!existsSync(file)) return counts;
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.pop();
  for (const line of lines) {
    try {
      const id = JSON.parse(line).event_id as string;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    } catch {
      // a line a kill cut short
    }
  }
  return counts;
}

describe('faults', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jogg-faults-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('crash under load: killed -9 three times, every acknowledged event is stored and delivered to every sink', async () => {
    const receiver = await Receiver.start();
    const config = join(dir, 'bridge.yaml');
    writeFileSync(config, `
store: { path: "${dir}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms }
retry: { attempts: 100, backoff: { initial: 100ms, max: 500ms } }
sinks:
  file: { type: file, path: "${dir}/events.jsonl" }
  hook: { type: http, url: "${receiver.url}/hook" }
routes: [{ name: all, match: { events: ["*"] }, to: [file, hook] }]
`);
    const acknowledged: string[] = [];
    const production = { production: true };
    let bridge = await BridgeProcess.start(config, { JOGG_WEBHOOK_SECRET: SECRET }, 20_000, production);
    for (let kill = 0; kill < 3; kill++) {
      let killed = false;
      const url = bridge.url;
      const senders = Array.from({ length: 10 }, async () => {
        while (!killed) {
          const body = videoEvent(Math.random() < 0.3 ? 'generated_video_failed' : 'generated_video_success');
          if ((await post(url, body)) === 200) acknowledged.push(body.event_id);
        }
      });
      // Kill once this life has acknowledged some events (a condition, not a time), at a random moment after.
      const target = acknowledged.length + 20;
      await waitFor(() => acknowledged.length >= target, 30_000, `${target} acknowledged webhooks`);
      await sleep(Math.floor(Math.random() * 300));
      await bridge.kill('SIGKILL');
      killed = true;
      await Promise.all(senders);
      bridge = await BridgeProcess.start(config, { JOGG_WEBHOOK_SECRET: SECRET }, 20_000, production);
    }
    try {
      const received = () => {
        const counts = new Map<string, number>();
        for (const r of receiver.requests) {
          const id = JSON.parse(r.body).event_id as string;
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
        return counts;
      };
      const allDelivered = () => {
        const lines = countLines(join(dir, 'events.jsonl'));
        const http = received();
        return acknowledged.every((id) => lines.has(id) && http.has(id));
      };
      await waitFor(allDelivered, 60_000, 'every acknowledged event at both sinks').catch(async (error) => {
        const lines = countLines(join(dir, 'events.jsonl'));
        const http = received();
        const store = await openSqlite(join(dir, 'bridge.db'));
        const counts = await store.countDeliveries();
        const stuck = (await store.listDeliveries({ limit: 20, status: 'pending' })).concat(await store.listDeliveries({ limit: 20, status: 'retrying' }));
        await store.close();
        throw new Error(`${error.message}: missing in file ${acknowledged.filter((id) => !lines.has(id)).length}, over HTTP ${acknowledged.filter((id) => !http.has(id)).length}; deliveries ${JSON.stringify(counts)}; waiting ${JSON.stringify(stuck.slice(0, 3))}\n${bridge.output.slice(-2000)}`);
      });
      const store = await openSqlite(join(dir, 'bridge.db'));
      const stored = new Set((await store.listEvents({ limit: 1_000_000 })).map((e) => e.eventId));
      await store.close();
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      const fileDuplicates = [...countLines(join(dir, 'events.jsonl')).values()].filter((n) => n > 1).length;
      const httpDuplicates = [...received().values()].filter((n) => n > 1).length;
      console.log(`crash under load: ${acknowledged.length} acknowledged over 3 kills; delivered twice: file ${fileDuplicates}, http ${httpDuplicates}`);
      // A duplicate is a delivery that was sent but whose result was not yet recorded when the process died.
      expect(fileDuplicates + httpDuplicates).toBeLessThan(acknowledged.length / 2);
    } finally {
      await bridge.stop();
      await receiver.close();
    }
  });

  it('sink outage: connection refused, then 503s; retries follow the backoff and everything arrives after recovery', async () => {
    const probe = await Receiver.start();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const bridge = await startBridge(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
# the circuit stays closed here (it would hold the deliveries after 5 failures): this is about each delivery's backoff
delivery: { circuit: { failures: 1000 } }
retry: { attempts: 50, maxAge: 1h, backoff: { initial: 100ms, max: 800ms, factor: 2, jitter: false } }
sinks: { hook: { type: http, url: "http://127.0.0.1:${port}/hook", timeout: 2s } }
routes: [{ name: all, match: { events: ["*"] }, to: [hook] }]
`);
    const receiver = new Receiver();
    try {
      const bodies = Array.from({ length: 20 }, () => videoEvent());
      for (const body of bodies) {
        const text = JSON.stringify(body);
        expect((await bridge.post('/webhooks/jogg', text, signedHeaders(text, SECRET))).status).toBe(200);
      }
      await sleep(1500); // refused
      receiver.always({ status: 503, body: 'maintenance' });
      await receiver.listen(port);
      await sleep(1500); // 503s
      receiver.always({ status: 200, body: 'ok' });
      await waitFor(async () => (await bridge.store.countDeliveries()).delivered === 20, 20_000, 'all 20 delivered');
      expect((await bridge.store.countDeliveries()).dead).toBe(0);
      const delivered = new Set(receiver.requests.filter((r) => r.headers['x-jogg-event']).map((r) => JSON.parse(r.body).event_id));
      expect(bodies.every((b) => delivered.has(b.event_id))).toBe(true);
      for (const delivery of await bridge.store.listDeliveries({ limit: 100 })) {
        const attempts = await bridge.store.listAttempts(delivery.id);
        expect(attempts.length).toBeGreaterThanOrEqual(3);
        expect(attempts.length).toBeLessThanOrEqual(10);
        attempts.slice(1).forEach((attempt, i) => {
          const previous = attempts[i];
          const wait = attempt.startedAt - (previous.startedAt + previous.durationMs);
          expect(wait).toBeGreaterThanOrEqual(Math.min(800, 100 * 2 ** i) - 20);
        });
        expect(attempts.map((a) => a.error ?? 'ok').join(' | ')).toMatch(/^(network error: ECONNREFUSED \(http:\/\/127\.0\.0\.1:\d+\) \| )+(HTTP 503: maintenance \| )*ok$/);
      }
    } finally {
      await bridge.close();
      await receiver.close();
    }
  });

  const root = process.getuid?.() === 0;
  (root ? it : it.skip)('disk full (the built process, production): webhooks get 503 (no 200 without the event stored), /readyz says so, the process stays up, and the retry is accepted once space returns (needs root for a tmpfs)', async () => {
    const mount = join(dir, 'small');
    mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mount]);
    let bridge: BridgeProcess | undefined;
    try {
      bridge = await BridgeProcess.launch(`
store: { path: "${mount}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
sinks: { file: { type: file, path: "\${DIR}/events.jsonl" } }
routes: [{ name: all, match: { events: ["*"] }, to: [file] }]
`, {}, { production: true, ready: true });
      // leave the database a little room, then send until the disk is full
      const filler = join(mount, 'filler');
      writeFileSync(filler, Buffer.alloc(1024 * 1024));
      const acknowledged: string[] = [];
      const statuses: number[] = [];
      let refused: object | undefined;
      for (let i = 0; i < 400 && !refused; i++) {
        const body = videoEvent('generated_video_success', { padding: 'x'.repeat(4000) });
        const res = await bridge.webhook(body, SECRET);
        statuses.push(res.status);
        if (res.status === 200) acknowledged.push(body.event_id);
        if (res.status === 503) {
          expect(res.headers.get('retry-after')).toBe('5');
          refused = body;
        }
      }
      expect(new Set(statuses)).toEqual(new Set([200, 503]));
      // the last bytes too: nothing that needs a new page can be written now
      fillUp(join(mount, 'rest'));
      const ready = await bridge.get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.store.status).toBe('down');
      expect(bridge.running).toBe(true);
      // space comes back: JoggAI's retry of the refused event is accepted
      unlinkSync(filler);
      unlinkSync(join(mount, 'rest'));
      expect((await bridge.webhook(refused!, SECRET)).status).toBe(200);
      await waitFor(async () => (await bridge!.get('/readyz')).status === 200, 10_000, 'ready again');
      expect(bridge.logLines().filter((l) => l.level === 'error' && /^store unavailable: .*(full|SQLITE_FULL)/i.test(l.message)).length).toBeGreaterThan(0);
      const output = bridge.output;
      expect(await bridge.close()).toBe(0);
      expect(output).not.toMatch(/exiting for a restart|TypeError/);
      const store = await openSqlite(join(mount, 'bridge.db'));
      const stored = new Set((await store.listEvents({ limit: 10_000 })).map((e) => e.eventId));
      await store.close();
      expect([...acknowledged, (refused as { event_id: string }).event_id].filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await bridge?.close();
      execFileSync('umount', [mount]);
    }
  });
});
