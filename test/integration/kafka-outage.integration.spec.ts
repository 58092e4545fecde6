import { join } from 'node:path';
import { start as startBroker, TestBroker } from '../../scripts/kafka-broker';
import { BridgeProcess } from '../support/bridge-process';
import { videoEvent } from '../support/fixtures';
import { Collector, createTopic } from '../support/kafka';
import { byKey, deliveryStatus, duplicates, outOfOrder } from '../support/order';
import { sleep, waitFor } from '../support/wait';

const SECRET = 'kafka-outage-secret';
jest.setTimeout(240_000);

/**
 * The Kafka sink keeps the order per key by default (the record key, here the video id): 400 events over 40 keys,
 * the broker stopped and started again, and the built bridge killed with SIGKILL while the broker is down. The
 * policy is the default scaled down (backoff 10 ms → 600 ms, probes 10 ms → 600 ms, the old 12 attempts).
 */
describe('Kafka: a broker outage and a kill -9 (built process)', () => {
  let broker: TestBroker;
  let bridge: BridgeProcess | undefined;
  let collector: Collector | undefined;
  beforeAll(async () => {
    broker = await startBroker();
    await createTopic(broker.brokers, 'jogg.ordered', 3);
  });
  afterAll(async () => {
    await collector?.stop();
    await bridge?.close();
    await broker?.destroy();
  });

  it('loses nothing, dead-letters nothing and keeps every key in order', async () => {
    bridge = await BridgeProcess.launch(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 50ms, circuit: { failures: 5, probeInitial: 10ms, probeMax: 600ms } }
retry: { attempts: 12, maxAge: 5m, backoff: { initial: 10ms, max: 600ms } }
sinks: { stream: { type: kafka, brokers: ["${broker.brokers}"], topic: jogg.ordered, timeout: 2s } }
routes: [{ name: all, match: { events: ["*"] }, to: [stream] }]
`);
    const dir = bridge.dir;
    const keys = 40;
    const total = 400;
    const send = async (from: number, to: number) => {
      for (let seq = from; seq < to; seq++) {
        const body = videoEvent('generated_video_success', { video_id: `video-${seq % keys}`, seq });
        expect((await bridge!.webhook(body, SECRET)).status).toBe(200);
      }
    };
    await send(0, 120);
    await broker.stop();
    await send(120, 250);
    await bridge.waitForOutput(/sink stream is down after 5 failed attempts in a row/, 60_000);
    await sleep(1000);
    await bridge.kill('SIGKILL');
    bridge = await BridgeProcess.start(bridge.configPath);
    bridge.dir = dir;
    await bridge.waitForOutput(/sink stream was down when the bridge stopped/, 20_000);
    await send(250, 330);
    await broker.restart();
    await send(330, total);
    collector = await Collector.start(broker.brokers, ['jogg.ordered']);
    const arrived = () => new Set(collector!.records.map((r) => JSON.parse(r.value).data.seq)).size;
    await waitFor(() => arrived() === total, 120_000, 'all 400 records');
    await waitFor(() => deliveryStatus(join(dir, 'bridge.db')).delivered === total, 30_000, 'every result recorded');
    expect(deliveryStatus(join(dir, 'bridge.db'))).toEqual({ delivered: total });
    // the consumer reads each partition in offset order; every key lives in one partition
    const seen = byKey(collector.records.map((r) => ({ key: r.key!, seq: JSON.parse(r.value).data.seq })));
    console.log(`Kafka, 400 events over 40 keys, broker stop/start and a kill -9: ${collector.records.length} records, ${duplicates(seen)} duplicates`);
    expect(seen.size).toBe(keys);
    expect(outOfOrder(seen)).toEqual([]);
  });
});
