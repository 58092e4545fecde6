import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, TestCluster } from '../../scripts/pg-cluster';
import { startBridge } from '../support/bridge';
import { videoEvent } from '../support/fixtures';
import { signedHeaders } from '../support/signing';
import { waitFor } from '../support/wait';

const SECRET = 'pg-bridge-secret';

describe('the bridge on PostgreSQL', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await start();
  }, 60_000);
  afterAll(() => cluster?.stop());

  it('accepts, dedupes and delivers like on SQLite, and reports readiness and metrics', async () => {
    const url = await cluster.database('bridge_e2e');
    const bridge = await startBridge(`
store: { driver: postgres, url: "\${DATABASE_URL}", schema: jogg }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms }
sinks: { file: { type: file, path: "\${DIR}/events.jsonl" } }
routes: [{ name: all, match: { events: ["*"] }, to: [file] }]
`, { DATABASE_URL: url });
    try {
      const bodies = Array.from({ length: 50 }, () => videoEvent());
      const answers = await Promise.all(bodies.map((b) => {
        const text = JSON.stringify(b);
        return bridge.post('/webhooks/jogg', text, signedHeaders(text, SECRET));
      }));
      expect(answers.every((a) => a.status === 200 && a.body.status === 'accepted')).toBe(true);
      const again = JSON.stringify(bodies[0]);
      expect((await bridge.post('/webhooks/jogg', again, signedHeaders(again, SECRET))).body.status).toBe('duplicate');
      const file = join(bridge.dir, 'events.jsonl');
      await waitFor(() => existsSync(file) && bodies.every((b) => readFileSync(file, 'utf8').includes(b.event_id)), 15_000);
      // the file is written before the result is recorded: wait for the records too
      await waitFor(async () => (await bridge.store.countDeliveries()).delivered === 50, 10_000);
      expect((await fetch(`${bridge.url}/readyz`)).status).toBe(200);
      const metrics = await (await fetch(`${bridge.url}/metrics`)).text();
      expect(metrics).toMatch(/bridge_deliveries_total\{sink="file",route="all",outcome="delivered"\} 50/);
    } finally {
      await bridge.close();
    }
  });
});

describe('two bridge processes on one PostgreSQL', () => {
  it('share the work; when one is killed -9, every acknowledged event is delivered and the survivor leads', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { BridgeProcess } = await import('../support/bridge-process');
    const { Receiver } = await import('../support/receiver');
    const cluster = await start();
    const dir = mkdtempSync(join(tmpdir(), 'jogg-pg-two-'));
    const receiver = await Receiver.start();
    const url = await cluster.database('two_instances');
    const config = join(dir, 'bridge.yaml');
    writeFileSync(config, `
store: { driver: postgres, url: "\${DATABASE_URL}" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms, lease: 3s }
sinks: { hook: { type: http, url: "${receiver.url}/hook" } }
routes: [{ name: all, match: { events: ["*"] }, to: [hook] }]
`);
    const a = await BridgeProcess.start(config, { DATABASE_URL: url, JOGG_WEBHOOK_SECRET: SECRET });
    await waitFor(() => a.output.includes('this instance leads'), 10_000, 'A to lead');
    const b = await BridgeProcess.start(config, { DATABASE_URL: url, JOGG_WEBHOOK_SECRET: SECRET });
    const acknowledged: string[] = [];
    try {
      let sent = 0;
      let aDead = false;
      await Promise.all(Array.from({ length: 10 }, async () => {
        while (sent < 400) {
          const target = sent++ % 2 && !aDead ? a : b;
          const body = videoEvent();
          const text = JSON.stringify(body);
          try {
            const res = await fetch(`${target.url}/webhooks/jogg`, { method: 'POST', body: text, headers: signedHeaders(text, SECRET) });
            await res.text();
            if (res.status === 200) acknowledged.push(body.event_id);
          } catch {
            // A died mid-request: not acknowledged
          }
          if (acknowledged.length === 150 && !aDead) {
            aDead = true;
            void a.kill('SIGKILL');
          }
        }
      }));
      const receipts = () => {
        const at = new Map<string, number[]>();
        for (const r of receiver.requests) {
          const id = JSON.parse(r.body).event_id as string;
          at.set(id, [...(at.get(id) ?? []), r.at]);
        }
        return at;
      };
      await waitFor(() => {
        const got = receipts();
        return acknowledged.every((id) => got.has(id));
      }, 30_000, 'every acknowledged event delivered');
      // a delivery is never sent by both at once: a second send only follows an expired lease
      for (const times of receipts().values()) if (times.length > 1) expect(Math.abs(times[1] - times[0])).toBeGreaterThan(1000);
      await waitFor(() => b.output.includes('this instance leads'), 15_000, 'B to take over the lead');
      expect(acknowledged.length).toBeGreaterThan(150);
    } finally {
      await a.stop().catch(() => undefined);
      await b.stop();
      await receiver.close();
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
