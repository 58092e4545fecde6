import { Client } from 'pg';
import { start, TestCluster } from '../../scripts/pg-cluster';
import { BridgeProcess } from '../support/bridge-process';
import { videoEvent } from '../support/fixtures';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait';

/**
 * PostgreSQL going away under two built bridge processes (production mode) taking signed load round-robin:
 * a restart, a stop of several seconds, and every bridge session terminated. The processes stay up, answer 503
 * (never a connection error, never a 200 for an event not stored) while the database is away, recover alone,
 * and every acknowledged event is delivered.
 */
const SECRET = 'pg-faults-secret';
const PASSWORD = 'pg-faults-password'; // the test cluster trusts every login: the password only has to stay out of the logs
const ADMIN = 'pg-faults-admin-token';
jest.setTimeout(120_000);

describe('two bridge processes while PostgreSQL restarts, stops and ends their sessions', () => {
  let cluster: TestCluster;
  afterAll(() => cluster?.stop());

  it('stay up, answer 503 while the database is away, recover alone, lose nothing acknowledged, and keep one leader', async () => {
    cluster = await start();
    await cluster.database('faults');
    const url = `postgres://bridge:${PASSWORD}@127.0.0.1:${cluster.port}/faults`;
    const receiver = await Receiver.start();
    const yaml = `
store: { driver: postgres, url: "\${DATABASE_URL}", poolSize: 4 }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms, lease: 3s }
retry: { attempts: 1000, backoff: { initial: 100ms, max: 1s } }
sinks: { hook: { type: http, url: "${receiver.url}/hook" } }
routes: [{ name: all, match: { events: ["*"] }, to: [hook] }]
`;
    const env = { DATABASE_URL: url, BRIDGE_ADMIN_TOKEN: ADMIN };
    const a = await BridgeProcess.launch(yaml, env, { production: true, ready: true });
    const b = await BridgeProcess.launch(yaml, env, { production: true, ready: true });
    const bridges = [a, b];
    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    let sending = true;
    try {
      // the start-up line names the driver and the URL without its password
      for (const bridge of bridges) expect(bridge.output).toContain(`store postgres postgres://bridge@127.0.0.1:${cluster.port}/faults`);
      await waitFor(() => bridges.some((x) => x.output.includes('this instance leads')), 15_000, 'a leader');

      let n = 0;
      const load = Promise.all(Array.from({ length: 6 }, async () => {
        while (sending) {
          const target = bridges[n++ % 2];
          const event = videoEvent();
          const { status } = await target.webhook(event, SECRET);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === 200) acknowledged.push(event.event_id);
          if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }));
      const accepting = async (what: string) => {
        const before = acknowledged.length;
        await waitFor(async () => {
          const ready = await Promise.all(bridges.map((x) => x.get('/readyz')));
          return ready.every((r) => r.status === 200) && acknowledged.length > before + 20;
        }, 30_000, `both ready and accepting after ${what}`).catch((error) => {
          throw new Error(`${error.message}; exit codes ${bridges.map((x) => x.exitCode)}; answers ${JSON.stringify(Object.fromEntries(statuses))}\n${bridges.map((x) => x.output.slice(-1500)).join('\n')}`);
        });
      };
      await accepting('start');

      await cluster.restart();
      await accepting('the restart');

      await cluster.stopServer();
      const refusedBefore = statuses.get(503) ?? 0;
      await waitFor(() => (statuses.get(503) ?? 0) > refusedBefore + 10, 10_000, '503s while the database is stopped');
      for (const bridge of bridges) {
        const ready = await bridge.get('/readyz');
        expect(ready.status).toBe(503);
        expect(ready.body.checks.store.status).toBe('down');
        // a read on a Nest route that fails: 500 with an error id, nothing of the error itself
        const events = await bridge.get('/admin/events', { authorization: `Bearer ${ADMIN}` });
        expect(events.status).toBe(500);
        expect(events.body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'unexpected error', errorId: expect.any(String) });
        expect(bridge.logLines().some((l) => l.level === 'error' && l.message.startsWith(`unexpected error ${events.body.errorId}: `))).toBe(true);
        // metrics still answer (without the queue gauges), and count the refused webhooks
        const metrics = await bridge.get('/metrics');
        expect(metrics.status).toBe(200);
        expect(Number(/^bridge_webhooks_total\{event="generated_video_success",outcome="unavailable"\} (\d+)$/m.exec(metrics.text)?.[1])).toBeGreaterThan(0);
      }
      // a config reload meanwhile is applied; what it needs from the store waits for the store
      for (const bridge of bridges) bridge.signal('SIGHUP');
      await waitFor(() => bridges.every((x) => x.logLines().some((l) => l.level === 'warn' && /^cannot dead-letter the deliveries of removed sinks: /.test(l.message))), 10_000, 'the reload logged');
      await new Promise((resolve) => setTimeout(resolve, 3000)); // away for several seconds
      await cluster.startServer();
      await accepting('the stop');

      const admin = new Client({ connectionString: url });
      await admin.connect();
      try {
        const lockHolders = async () => (await admin.query(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted`)).rows.map((r) => r.pid as number);
        const [holder] = await waitFor(async () => ((await lockHolders()).length === 1 ? lockHolders() : undefined), 15_000, 'the leader lock held');
        const { rows } = await admin.query(`SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'faults' AND pid <> pg_backend_pid()`);
        expect(rows.map((r) => r.pid)).toContain(holder); // the leader's lock session, with the pools' sessions
        await accepting('every session ended');
        // the leader lock went with its session: it is taken again, on a new session, by one instance
        await waitFor(async () => {
          const holders = await lockHolders();
          return holders.length === 1 && holders[0] !== holder;
        }, 15_000, 'the leader lock taken again');
        const leaders = await waitFor(async () => {
          const checks = await Promise.all(bridges.map(async (x) => (await x.get('/readyz')).body.checks.leader.status as string));
          return checks.filter((s) => s === 'leader').length === 1 ? checks : undefined;
        }, 15_000, 'exactly one instance reporting leader');
        const metrics = await Promise.all(bridges.map(async (x) => Number(/^bridge_leader (\d)$/m.exec((await x.get('/metrics')).text)![1])));
        expect(metrics).toEqual(leaders.map((s) => (s === 'leader' ? 1 : 0)));
      } finally {
        await admin.end();
      }

      sending = false;
      await load;
      const delivered = () => new Set(receiver.requests.map((r) => JSON.parse(r.body).event_id as string));
      await waitFor(() => acknowledged.every((id) => delivered().has(id)), 30_000, 'every acknowledged event delivered');
      console.log(`postgres faults: answers ${JSON.stringify(Object.fromEntries(statuses))}, ${acknowledged.length} acknowledged, all delivered`);
      expect([...statuses.keys()].sort()).toEqual([200, 503]); // never a connection error (0), never anything else
      for (const bridge of bridges) {
        expect(bridge.running).toBe(true);
        expect(bridge.output).not.toContain(PASSWORD);
        expect(bridge.output).not.toMatch(/exiting for a restart|TypeError|Cannot read properties|DeprecationWarning/);
      }
      expect(await a.close()).toBe(0);
      expect(await b.close()).toBe(0);
    } finally {
      sending = false;
      await a.close();
      await b.close();
      await receiver.close();
    }
  });
});
