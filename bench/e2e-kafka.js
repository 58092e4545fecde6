// End to end to Kafka: signed webhook in → record visible to a consumer. Measures latency at a fixed
// offered rate and the sustained rate at full offered load.
const { createHmac } = require('node:crypto');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const autocannon = require('autocannon');
const { Kafka, logLevel } = require('kafkajs');
const broker = require('../scripts/kafka-broker');
const { bridgeArgs } = require('./proc');

const SECRET = 'bench-secret';

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function e2eKafka({ dir, start, stop, seconds }) {
  const kafka = await broker.start();
  const admin = new Kafka({ clientId: 'bench-admin', brokers: [kafka.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'bench.e2e', numPartitions: 3, replicationFactor: 1 }] });
  await admin.disconnect();
  writeFileSync(join(dir, 'kafka.yaml'), `
store: { path: "${dir}/kafka-bridge.db" }
jogg: { secrets: ["\${JOGG_WEBHOOK_SECRET}"] }
delivery: { pollInterval: 100ms }
sinks:
  stream: { type: kafka, brokers: ["${kafka.brokers}"], topic: bench.e2e }
routes:
  - { name: all, match: { events: ["*"] }, to: [stream] }
`);
  const bridge = await start(bridgeArgs(join(__dirname, '..')), { BRIDGE_CONFIG: join(dir, 'kafka.yaml'), NODE_ENV: 'production' });
  const sentAt = new Map();
  const latencies = [];
  let consumed = 0;
  const consumer = new Kafka({ clientId: 'bench-consumer', brokers: [kafka.brokers], logLevel: logLevel.NOTHING })
    .consumer({ groupId: `bench-${Date.now()}`, maxWaitTimeInMs: 5, minBytes: 1 });
  await consumer.connect();
  await consumer.subscribe({ topics: ['bench.e2e'], fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const message of batch.messages) {
        const id = /"event_id":"([^"]+)"/.exec(message.value.toString())?.[1];
        const at = sentAt.get(id);
        if (at !== undefined) {
          latencies.push(now - at);
          sentAt.delete(id);
        }
        consumed += 1;
      }
    },
  });
  let seq = 0;
  const request = {
    method: 'POST',
    path: '/webhooks/jogg',
    setupRequest(req) {
      seq += 1;
      const body = JSON.stringify({
        event_id: `e2e-${process.pid}-${seq}`,
        event: 'generated_video_success',
        timestamp: Math.floor(Date.now() / 1000),
        data: { video_id: `v${seq % 5000}`, status: 'completed', video_url: 'https://res.jogg.ai/v.mp4', duration: 12.5 },
      });
      sentAt.set(`e2e-${process.pid}-${seq}`, Date.now());
      return { ...req, body, headers: { 'content-type': 'application/json', 'x-webhook-signature': createHmac('sha256', SECRET).update(body).digest('hex') } };
    },
  };
  const run = (options) => new Promise((resolve, reject) => autocannon({ url: bridge.url, requests: [request], duration: seconds, ...options }, (e, r) => (e ? reject(e) : resolve(r))));
  const drain = async (expected, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (consumed < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  };
  try {
    // warm-up (connects the producer, creates the consumer assignment)
    await run({ connections: 10, overallRate: 200, duration: 2 });
    await drain(seq);
    // 1. latency at a fixed offered rate
    latencies.length = 0;
    const fixedStart = seq;
    const fixed = await run({ connections: 50, overallRate: 1000 });
    await drain(seq);
    const fixedSorted = [...latencies].sort((a, b) => a - b);
    const atRate = { offered: 1000, accepted: fixed.requests.average, delivered: latencies.length, sent: seq - fixedStart, p50: percentile(fixedSorted, 50), p99: percentile(fixedSorted, 99), errors: fixed.non2xx + fixed.errors };
    // 2. sustained: full offered load; delivered events/s until the last record arrives
    latencies.length = 0;
    const before = consumed;
    const t0 = Date.now();
    const full = await run({ connections: 50 });
    const sent = full.requests.total;
    await drain(before + sent, 120_000);
    const elapsed = (Date.now() - t0) / 1000;
    const fullSorted = [...latencies].sort((a, b) => a - b);
    const sustained = { accepted: full.requests.average, delivered: (consumed - before) / elapsed, total: consumed - before, sent, elapsed, p50: percentile(fullSorted, 50), p99: percentile(fullSorted, 99), errors: full.non2xx + full.errors };
    return { atRate, sustained };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await stop(bridge);
    await kafka.destroy();
  }
}

module.exports = { e2eKafka };
