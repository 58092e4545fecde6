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
