import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { start as startBroker, TestBroker } from '../../scripts/kafka-broker';
import { KafkaSinkConfig } from '../../src/config/sink-config';
import { KafkaSink } from '../../src/sinks/kafka.sink';
import { SinkRegistry } from '../../src/sinks/sink.registry';
import { startBridge, TestBridge } from '../support/bridge';
import { FIXTURE_DIR, videoEvent } from '../support/fixtures';
import { Collector, createTopic } from '../support/kafka';
import { signedHeaders } from '../support/signing';
import { SlackStandIn } from '../support/slack-standin';
import { SmtpTestServer } from '../support/smtp';
import { waitFor } from '../support/wait';

const SECRET = 'kafka-test-secret';
jest.setTimeout(120_000);

describe('Kafka sink against a real broker', () => {
  let broker: TestBroker;
  let bridge: TestBridge;
  let collector: Collector;

  beforeAll(async () => {
    broker = await startBroker();
    await createTopic(broker.brokers, 'jogg.videos', 3);
    await createTopic(broker.brokers, 'jogg.tiny', 1, { 'max.message.bytes': '200' });
    await createTopic(broker.brokers, 'jogg.events.custom_video_failed', 1);
    await createTopic(broker.brokers, 'jogg.e2e', 1);
    bridge = await startBridge(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms }
retry: { attempts: 100, maxAge: 1h, backoff: { initial: 200ms, max: 1s, jitter: false } }
sinks:
  stream: { type: kafka, brokers: ["\${KAFKA_BROKERS}"], topic: jogg.videos }
  by-event:
    type: kafka
    brokers: "\${KAFKA_BROKERS}"
    topic: "jogg.events.{{ event }}"
    key: "{{ event_id }}"
    value: '{"video": "{{ resource_id }}", "failed": {{#error_message}}true{{/error_message}}{{^error_message}}false{{/error_message}}}'
    headers: { x-source: jogg-bridge, x-resource: "{{ resource_id }}" }
  tiny: { type: kafka, brokers: "\${KAFKA_BROKERS}", topic: jogg.tiny }
routes:
  - { name: videos, match: { events: ["generated_*video_*"] }, to: [stream] }
  - { name: per-event, match: { events: ["custom_*"] }, to: [by-event] }
  - { name: tiny, match: { events: ["tiny_*"] }, to: [tiny] }
`, { KAFKA_BROKERS: broker.brokers });
    collector = await Collector.start(broker.brokers, ['jogg.videos', /jogg\.events\..*/, 'jogg.tiny']);
  });
  afterAll(async () => {
    await collector?.stop();
    await bridge?.close();
    await broker?.destroy();
  });

  async function send(body: object): Promise<number> {
    const text = JSON.stringify(body);
    const res = await bridge.post('/webhooks/jogg', text, signedHeaders(text, SECRET));
    expect(res.status).toBe(200);
    return res.body.id;
  }
  const recordsFor = (videoId: string) => collector.records.filter((r) => r.value.includes(videoId) || r.key === videoId);

  it('produces the event as JoggAI sent it, keyed by the video, with event headers', async () => {
    const body = videoEvent('generated_avatar_video_success');
    await send(body);
    const [record] = await waitFor(() => recordsFor(body.data.video_id).length && recordsFor(body.data.video_id), 30_000);
    expect(record).toMatchObject({
      topic: 'jogg.videos',
      key: body.data.video_id,
      value: JSON.stringify(body),
      headers: { 'jogg-event': 'generated_avatar_video_success', 'jogg-event-id': body.event_id, 'content-type': 'application/json' },
    });
  });

  it('keys the observed project_id shape by project_id', async () => {
    const fixture = JSON.parse(readFileSync(join(FIXTURE_DIR, 'observed_generated_avatar_video_success.json'), 'utf8'));
    const body = { ...fixture, event_id: `obs-${Date.now()}`, timestamp: Math.floor(Date.now() / 1000), data: { ...fixture.data, project_id: `proj${Date.now()}` } };
    await send(body);
    const [record] = await waitFor(() => recordsFor(body.data.project_id).length && recordsFor(body.data.project_id), 30_000);
    expect(record.key).toBe(body.data.project_id);
  });

  it('renders topic, key, value and headers from templates', async () => {
    const body = videoEvent('custom_video_failed', { error: { message: 'x' } });
    await send(body);
    const matching = () => collector.records.filter((r) => r.headers['x-resource'] === body.data.video_id);
    const [record] = await waitFor(() => matching().length && matching(), 30_000);
    expect(record).toMatchObject({
      topic: 'jogg.events.custom_video_failed',
      key: body.event_id,
      value: `{"video": "${body.data.video_id}", "failed": true}`,
      headers: { 'x-source': 'jogg-bridge', 'x-resource': body.data.video_id, 'jogg-event': 'custom_video_failed' },
    });
  });

  it('keeps the events of one video in one partition, in order', async () => {
    const videoId = `vid-order-${Date.now()}`;
    const bodies = ['generated_video_failed', 'generated_video_success', 'generated_video_failed', 'generated_video_success'].map((event) =>
      videoEvent(event, { video_id: videoId }),
    );
    for (const body of bodies) await send(body);
    const records = await waitFor(() => recordsFor(videoId).length === 4 && recordsFor(videoId), 30_000);
    expect(new Set(records.map((r) => r.partition)).size).toBe(1);
    expect(records.map((r) => JSON.parse(r.value).event_id)).toEqual(bodies.map((b) => b.event_id));
  });

  it('sends records that are due together as one produce request', async () => {
    const sink = new KafkaSink('probe', {}, plainToInstance(KafkaSinkConfig, { type: 'kafka', brokers: [broker.brokers], topic: 'jogg.videos' }, { exposeDefaultValues: true }));
    const bodies = Array.from({ length: 300 }, () => videoEvent('generated_video_success'));
    await sink.send(sink.render({ id: 0, deliveryId: 0, envelope: bodies[0], body: JSON.stringify(bodies[0]), endpoint: null, receivedAt: 0 }));
    const before = sink.stats.produceRequests;
    await Promise.all(bodies.slice(1).map((body, i) => sink.send(sink.render({ id: i, deliveryId: i, envelope: body, body: JSON.stringify(body), endpoint: null, receivedAt: 0 }))));
    expect(sink.stats.produceRequests - before).toBe(1);
    await waitFor(() => bodies.every((b) => recordsFor(b.data.video_id).length >= 1), 30_000, 'all 300 records');
    await sink.close();
  });

  it('streams events that arrive one by one with far fewer produce requests than events', async () => {
    const sink = bridge.app.get(SinkRegistry).get('stream') as KafkaSink;
    const before = { ...sink.stats };
    const bodies = Array.from({ length: 300 }, () => videoEvent('generated_video_success'));
    await Promise.all(bodies.map((body) => send(body)));
    await waitFor(() => bodies.every((b) => recordsFor(b.data.video_id).length >= 1), 60_000, 'all 300 records');
    const requests = sink.stats.produceRequests - before.produceRequests;
    expect(sink.stats.records - before.records).toBe(300);
    expect(requests).toBeLessThan(300);
    console.log(`streaming: 300 records in ${requests} produce requests`);
  });

  it('dead-letters a message the topic refuses as too large', async () => {
    const id = await send(videoEvent('tiny_video_success', { padding: 'x'.repeat(400) }));
    const delivery = await waitFor(async () => {
      const [d] = await bridge.store.listDeliveries({ eventPk: id });
      return d?.status === 'dead' ? d : undefined;
    }, 30_000);
    expect(delivery.attempts).toBe(1);
    expect(delivery.lastError).toMatch(/^MESSAGE_TOO_LARGE/);
  });

  it('checks readiness with topic metadata', async () => {
    const sink = new KafkaSink('probe', {}, plainToInstance(KafkaSinkConfig, { type: 'kafka', brokers: [broker.brokers], topic: 'jogg.videos' }, { exposeDefaultValues: true }));
    await expect(sink.check()).resolves.toBeUndefined();
    await sink.close();
  });

  it('loses nothing while the broker is down: every event arrives after it comes back', async () => {
    const sink = new KafkaSink('probe', {}, plainToInstance(KafkaSinkConfig, { type: 'kafka', brokers: [broker.brokers], topic: 'jogg.videos', timeout: '2s' }, { exposeDefaultValues: true }));
    await broker.stop();
    await expect(sink.check()).rejects.toThrow();
    const bodies = Array.from({ length: 20 }, () => videoEvent('generated_video_success'));
    for (const body of bodies) await send(body);
    await waitFor(async () => (await bridge.store.listDeliveries({ sink: 'stream', status: 'retrying', limit: 1000 })).length > 0, 30_000, 'retries while down');
    const stream = bridge.app.get(SinkRegistry).get('stream') as KafkaSink;
    await broker.restart();
    const before = stream.stats.produceRequests;
    await waitFor(() => bodies.every((b) => recordsFor(b.data.video_id).length >= 1), 90_000, 'every record after the restart');
    // the backlog was due together, so it went out in a few batches
    expect(stream.stats.produceRequests - before).toBeLessThanOrEqual(5);
    const dead = await bridge.store.listDeliveries({ sink: 'stream', status: 'dead' });
    expect(dead).toEqual([]);
    await sink.close();
  });

  describe('end to end', () => {
    it('turns one signed JoggAI webhook into a Kafka record, a Slack message and an email', async () => {
      const slack = await SlackStandIn.start();
      const smtp = await SmtpTestServer.start();
      const e2e = await startBridge(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms }
sinks:
  stream: { type: kafka, brokers: ["\${KAFKA_BROKERS}"], topic: jogg.e2e }
  alerts: { type: slack, url: "\${SLACK_WEBHOOK_URL}" }
  ops: { type: email, smtp: "\${SMTP_URL}", from: bridge@example.com, to: [ops@example.com], tls: { allowInsecureAuth: true } }
routes:
  - { name: all-to-kafka, match: { events: ["*"] }, to: [stream] }
  - { name: failures, match: { events: ["*_failed"] }, to: [alerts, ops] }
`, { KAFKA_BROKERS: broker.brokers, SLACK_WEBHOOK_URL: slack.webhook('ok'), SMTP_URL: smtp.url() });
      const e2eCollector = await Collector.start(broker.brokers, ['jogg.e2e']);
      try {
        const fixture = JSON.parse(readFileSync(join(FIXTURE_DIR, 'generated_video_failed.json'), 'utf8'));
        const text = JSON.stringify({ ...fixture, timestamp: Math.floor(Date.now() / 1000) });
        const res = await e2e.post('/webhooks/jogg', text, signedHeaders(text, SECRET, fixture.event));
        expect(res.body).toMatchObject({ status: 'accepted', deliveries: 3 });
        const [record] = await waitFor(() => e2eCollector.records.length && e2eCollector.records, 30_000, 'the Kafka record');
        expect(record).toMatchObject({ key: fixture.data.video_id, value: text });
        await waitFor(() => slack.posts.length && smtp.received.length, 15_000, 'Slack and email');
        expect(slack.posts[0].payload.text).toContain(`\`${fixture.data.video_id}\` failed: Video generation failed`);
        expect(smtp.received[0].mail.subject).toBe(`[jogg] generated_video_failed ${fixture.data.video_id}`);
      } finally {
        await e2eCollector.stop();
        await e2e.close();
        await slack.close();
        await smtp.close();
      }
    });
  });
});
