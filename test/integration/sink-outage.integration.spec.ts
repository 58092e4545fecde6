import { join } from 'node:path';
import { BridgeProcess } from '../support/bridge-process';
import { videoEvent } from '../support/fixtures';
import { byKey, deliveryStatus, duplicates, failedAttempts, outOfOrder } from '../support/order';
import { Receiver } from '../support/receiver';
import { sleep, waitFor } from '../support/wait';

const SECRET = 'outage-secret';
jest.setTimeout(120_000);

/**
 * A sink down for maintenance, compressed: the default policy (1 s → 1 h backoff, probes 1 s → 1 min) scaled to
 * 10 ms → 600 ms, with the old default of 12 attempts, against an outage of a few seconds: the receiver refuses
 * connections, then answers 503, then 200. Run on the built process.
 */
const config = (url: string, extra = '', maxAge = '2m') => `
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 50ms, concurrency: 8, circuit: { failures: 5, probeInitial: 10ms, probeMax: 600ms } }
retry: { attempts: 12, maxAge: ${maxAge}, backoff: { initial: 10ms, max: 600ms } }
sinks: { hook: { type: http, url: "${url}/hook", timeout: 2s${extra} } }
routes: [{ name: all, match: { events: ["*"] }, to: [hook] }]
`;

describe('a sink outage (built process, HTTP receiver)', () => {
  let receiver: Receiver;
  let port: number;
  let bridge: BridgeProcess | undefined;
  beforeEach(async () => {
    receiver = await Receiver.start();
    port = Number(new URL(receiver.url).port);
  });
  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
    await receiver.close();
  });

  const delivered = () => receiver.requests.filter((r) => r.status === 200);
  const seqOf = (body: string) => JSON.parse(body).data as { video_id: string; seq: number };

  it('dead-letters nothing, makes no attempts while the sink is down but probes, and sends everything once it is back', async () => {
    bridge = await BridgeProcess.launch(config(receiver.url));
    await receiver.close(); // down: connection refused
    const n = 60;
    for (let seq = 0; seq < n; seq++) expect((await bridge.webhook(videoEvent('generated_video_success', { seq }), SECRET)).status).toBe(200);
    await bridge.waitForOutput(/sink hook is down after 5 failed attempts in a row/, 20_000);
    await sleep(2500);
    await receiver.listen(port);
    receiver.always({ status: 503, body: 'maintenance' });
    await sleep(2500);
    expect((await bridge.get('/readyz')).body.checks.sinks.hook.circuit).toMatch(/^(open|half-open)$/);
    expect((await bridge.get('/metrics')).text).toMatch(/bridge_sink_circuit\{sink="hook"\} (1|0\.5)/);
    receiver.always({ status: 200, body: 'ok' });
    await waitFor(() => delivered().length === n, 30_000, 'every delivery');
    await bridge.waitForOutput(/sink hook is back after/, 5000);
    const db = join(bridge.dir, 'bridge.db');
    await waitFor(() => deliveryStatus(db).delivered === n, 10_000, 'every result recorded');
    expect(deliveryStatus(db)).toEqual({ delivered: n });
    // while down, only probes reach the sink: fewer failed attempts in all than deliveries (each would fail several times)
    const failed = failedAttempts(db);
    const refusedAt503 = receiver.requests.filter((r) => r.status === 503).length;
    console.log(`outage: ${failed} failed attempts in all for ${n} deliveries, ${refusedAt503} of them answered 503`);
    expect(failed).toBeLessThan(n);
    expect(new Set(delivered().map((r) => seqOf(r.body).seq)).size).toBe(n);
    expect((await bridge.get('/readyz')).body.checks.sinks.hook.circuit).toBe('closed');
  });

  it('makes the instance not ready while a required sink\'s circuit is open, and ready again when it is back', async () => {
    bridge = await BridgeProcess.launch(config(receiver.url, ', readiness: required'));
    await receiver.close();
    for (let seq = 0; seq < 6; seq++) expect((await bridge.webhook(videoEvent('generated_video_success', { seq }), SECRET)).status).toBe(200);
    await bridge.waitForOutput(/sink hook is down after 5 failed attempts in a row/, 20_000);
    const down = await bridge.get('/readyz');
    expect([down.status, down.body.checks.sinks.hook.status, down.body.checks.sinks.hook.readiness]).toEqual([503, 'down', 'required']);
    await receiver.listen(port);
    await waitFor(async () => (await bridge!.get('/readyz')).status === 200, 20_000, 'ready once the sink is back');
  });

  it('does not count the time the sink was down toward maxAge, also across a restart while it is down', async () => {
    bridge = await BridgeProcess.launch(config(receiver.url, '', '2s'));
    const dir = bridge.dir;
    await receiver.close();
    const n = 20;
    for (let seq = 0; seq < n; seq++) expect((await bridge.webhook(videoEvent('generated_video_success', { seq }), SECRET)).status).toBe(200);
    await bridge.waitForOutput(/sink hook is down/, 20_000);
    await sleep(1500);
    await bridge.kill('SIGKILL');
    bridge = await BridgeProcess.start(bridge.configPath);
    bridge.dir = dir;
    await bridge.waitForOutput(/sink hook was down when the bridge stopped/, 10_000);
    await sleep(1500); // down 3 s in all, longer than maxAge (2 s)
    await receiver.listen(port);
    await waitFor(() => new Set(delivered().map((r) => seqOf(r.body).seq)).size === n, 30_000, 'every delivery');
    await waitFor(() => deliveryStatus(join(dir, 'bridge.db')).delivered === n, 10_000, 'every result recorded');
    expect(deliveryStatus(join(dir, 'bridge.db'))).toEqual({ delivered: n });
  });

  it('keeps the order per key (ordering: key) through an outage and a kill -9: 400 events over 40 keys, nothing lost', async () => {
    bridge = await BridgeProcess.launch(config(receiver.url, ', ordering: key'));
    const dir = bridge.dir;
    const keys = 40;
    const total = 400;
    const send = async (from: number, to: number) => {
      for (let seq = from; seq < to; seq++) {
        const body = videoEvent('generated_video_success', { video_id: `video-${seq % keys}`, seq });
        expect((await bridge!.webhook(body, SECRET)).status).toBe(200);
      }
    };
    // a flaky phase first: some 503s among the 200s, so retries happen while the sink is up
    receiver.reply(...Array.from({ length: 30 }, (_, i) => ({ status: i % 3 ? 200 : 503 })));
    await send(0, 100);
    await receiver.close();
    await send(100, 250);
    await sleep(1500);
    await receiver.listen(port);
    receiver.always({ status: 503, body: 'maintenance' });
    await send(250, 330);
    await sleep(1500);
    receiver.always({ status: 200, body: 'ok' });
    await waitFor(() => delivered().length >= 200, 30_000, 'the backlog draining');
    await bridge.kill('SIGKILL');
    bridge = await BridgeProcess.start(bridge.configPath);
    bridge.dir = dir;
    await send(330, total);
    const arrived = () => new Set(delivered().map((r) => seqOf(r.body).seq)).size;
    await waitFor(() => arrived() === total, 60_000, 'all 400 events');
    const seen = byKey(delivered().map((r) => ({ key: seqOf(r.body).video_id, seq: seqOf(r.body).seq })));
    console.log(`HTTP, 400 events over 40 keys with an outage and a kill -9: ${duplicates(seen)} duplicates (sent again after the kill), ${receiver.requests.filter((r) => r.status !== 200).length} refused attempts`);
    expect(seen.size).toBe(keys);
    expect(outOfOrder(seen)).toEqual([]);
    expect(deliveryStatus(join(dir, 'bridge.db')).dead).toBeUndefined();
  });
});
