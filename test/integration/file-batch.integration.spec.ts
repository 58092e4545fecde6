import { mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { startBridge, TestBridge } from '../support/bridge';
import { videoEvent } from '../support/fixtures';
import { byKey, duplicates, outOfOrder } from '../support/order';
import { signedHeaders } from '../support/signing';
import { waitFor } from '../support/wait';

const SECRET = 'file-batch-secret';
const KEYS = 7;

/** Deliveries to the file sink go in batches (one write and one fsync each): per-key order, retries and attempts stay. */
describe('delivery to the file sink in batches', () => {
  let bridge: TestBridge;
  let seq = 0;

  beforeEach(async () => {
    bridge = await startBridge(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
retry: { attempts: 50, backoff: { initial: 50ms, max: 200ms, factor: 2, jitter: false } }
delivery: { pollInterval: 50ms, circuit: { failures: 3, probeInitial: 50ms, probeMax: 200ms } }
sinks:
  lines: { type: file, path: "\${DIR}/lines.jsonl", ordering: key }
routes: [{ name: all, match: { events: ["*"] }, to: [lines] }]
`);
  });
  afterEach(() => bridge.close());

  async function post(count: number): Promise<void> {
    const bodies = Array.from({ length: count }, () => {
      seq += 1;
      return JSON.stringify(videoEvent('generated_video_success', { video_id: `video-${seq % KEYS}`, seq }));
    });
    // 25 at a time: several arrive in each commit, so one claim takes many deliveries of one key
    for (let i = 0; i < bodies.length; i += 25) {
      const answers = await Promise.all(bodies.slice(i, i + 25).map((text) => bridge.post('/webhooks/jogg', text, signedHeaders(text, SECRET))));
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    }
  }

  const lines = () => readFileSync(join(bridge.dir, 'lines.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
  const arrivals = () => lines().map((body) => ({ key: body.data.video_id as string, seq: body.data.seq as number }));
  const allDelivered = async (total: number) => (await bridge.store.countDeliveries()).delivered === total;

  it('delivers a burst larger than one batch: every event once, each key in order, one attempt each', async () => {
    await post(700);
    await waitFor(() => allDelivered(700), 30_000, 'every delivery delivered');
    const keys = byKey(arrivals());
    expect(lines()).toHaveLength(700);
    expect(duplicates(keys)).toBe(0);
    expect(outOfOrder(keys)).toEqual([]);
    const sample = await bridge.store.listDeliveries({ limit: 50 });
    for (const delivery of sample) {
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, lastError: null });
      expect(await bridge.store.listAttempts(delivery.id)).toEqual([expect.objectContaining({ attempt: 1, outcome: 'delivered' })]);
    }
  });

  it('retries batches that cannot be written, opens and closes the circuit, and keeps each key in order with nothing lost', async () => {
    const path = join(bridge.dir, 'lines.jsonl');
    mkdirSync(path); // the sink cannot open its file: every write fails (EISDIR)
    await post(140);
    await waitFor(async () => (await bridge.store.listDeliveries({ status: 'retrying', limit: 1 })).length > 0, 10_000, 'failed attempts');
    rmdirSync(path);
    await waitFor(() => allDelivered(140), 30_000, 'every delivery delivered after the file can be written');
    const keys = byKey(arrivals());
    expect(lines()).toHaveLength(140);
    expect(duplicates(keys)).toBe(0);
    expect(outOfOrder(keys)).toEqual([]);
    // every attempt is in the history: the failed ones (EISDIR) and the last, delivered one
    const deliveries = await bridge.store.listDeliveries({ limit: 200 });
    const failedSome = [];
    for (const delivery of deliveries) {
      const attempts = await bridge.store.listAttempts(delivery.id);
      expect(attempts).toHaveLength(delivery.attempts);
      expect(attempts[attempts.length - 1]).toMatchObject({ outcome: 'delivered' });
      if (attempts.length > 1) failedSome.push(delivery.id);
      for (const failed of attempts.slice(0, -1)) expect(failed).toMatchObject({ outcome: 'retry', error: expect.stringContaining('EISDIR') });
    }
    expect(failedSome.length).toBeGreaterThan(0);
    // failures after the circuit opened did not use the retry budget
    expect(deliveries.some((d) => d.attemptsBeforeReplay > 0)).toBe(true);
  });
});
