import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { Kafka, logLevel } from 'kafkajs';
import { start as startBroker, TestBroker } from '../../scripts/kafka-broker';
import { KafkaSinkConfig } from '../../src/sinks/kafka/kafka.config';
import { KafkaSink } from '../../src/sinks/kafka/kafka.sink';
import { compileTemplate } from '../../src/templating';
import { SinkRegistry } from '../../src/sink-registry/sink.registry';
import { startBridge, TestBridge } from '../support/bridge';
import { FIXTURE_DIR, videoEvent } from '../support/fixtures';
import { Collector, createTopic } from '../support/kafka';
import { signedHeaders } from '../support/signing';
import { SlackStandIn } from '../support/slack-standin';
import { SmtpTestServer } from '../support/smtp';
import { waitFor } from '../support/wait';

const SECRET = 'kafka-test-secret';

/** The Kafka suite, run once per broker version the bridge supports (see the kafka-*.integration.spec.ts files). */
export function kafkaSuite(version: string): void {
  jest.setTimeout(120_000);
  describe(`Kafka sink against a real broker (Kafka ${version})`, () => {
    let broker: TestBroker;
    let bridge: TestBridge;
    let collector: Collector;

    beforeAll(async () => {
      broker = await startBroker({ version });
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
    value: '{"video": "{{ resource_id }}", "failed": {% if error_message %}true{% else %}false{% endif %}}'
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

    const sinkEvent = (body: { event_id?: string; event: string; timestamp: number; data: Record<string, unknown> }, i: number) =>
      ({ id: i, deliveryId: i, envelope: body, body: JSON.stringify(body), endpoint: null, receivedAt: 0 });
    const outcome = (p: Promise<void>) => p.then(() => 'delivered', (e: Error) => `${e.name}: ${e.message}`);

    it('fails a record whose templated topic is illegal alone and for good; the rest of its batch is delivered', async () => {
      const sink = new KafkaSink('per-event', { topic: compileTemplate('jogg.events.{{ event }}') }, plainToInstance(KafkaSinkConfig, { type: 'kafka', brokers: [broker.brokers], topic: 'unused' }, { exposeDefaultValues: true }));
      const good = [videoEvent('custom_video_failed'), videoEvent('custom_video_failed')];
      const bad = [videoEvent('custom a b'), videoEvent('视频'), videoEvent(`custom_${'x'.repeat(250)}`)];
      const all = [good[0], ...bad, good[1]];
      const results = await Promise.all(all.map((body, i) => outcome(sink.send(sink.render(sinkEvent(body, i))))));
      expect(results).toEqual([
        'delivered',
        'PermanentSinkError: invalid Kafka topic "jogg.events.custom a b": a topic is 1 to 249 of a-z A-Z 0-9 . _ -',
        'PermanentSinkError: invalid Kafka topic "jogg.events.视频": a topic is 1 to 249 of a-z A-Z 0-9 . _ -',
        expect.stringMatching(/^PermanentSinkError: invalid Kafka topic "jogg\.events\.custom_x+…" \(269 characters\)/),
        'delivered',
      ]);
      await waitFor(() => good.every((b) => recordsFor(b.data.video_id).length === 1), 30_000, 'the good records');
      await sink.close();
    });

    it('fails a record the broker refuses (too large) alone; the rest of its batch is delivered', async () => {
      // records small enough for the topic's 200-byte limit alone: short key and value, no event_id header
      const templates = { key: compileTemplate('k'), value: compileTemplate('{{ data.video_id }}{{ data.padding }}') };
      const sink = new KafkaSink('tiny', templates, plainToInstance(KafkaSinkConfig, { type: 'kafka', brokers: [broker.brokers], topic: 'jogg.tiny' }, { exposeDefaultValues: true }));
      const tiny = (id: string, padding = '') => ({ event: 't', timestamp: 1, data: { video_id: id, padding } });
      const stamp = Date.now() % 1_000_000;
      const small = [tiny(`a${stamp}`), tiny(`b${stamp}`)];
      const big = tiny(`c${stamp}`, 'x'.repeat(400));
      const results = await Promise.all([small[0], big, small[1]].map((body, i) => outcome(sink.send(sink.render(sinkEvent(body, i))))));
      expect(results).toEqual(['delivered', expect.stringMatching(/^PermanentSinkError: MESSAGE_TOO_LARGE/), 'delivered']);
      await waitFor(() => small.every((b) => recordsFor(b.data.video_id).length === 1), 30_000, 'the small records');
      await sink.close();
    });

    it('sets jogg-event-id only on events that have an event_id (image events have none)', async () => {
      const image = { event: 'generated_image_success', timestamp: Math.floor(Date.now() / 1000), data: { task_id: `task-${Date.now()}`, status: 'success' } };
      const sink = new KafkaSink('probe', {}, plainToInstance(KafkaSinkConfig, { type: 'kafka', brokers: [broker.brokers], topic: 'jogg.videos' }, { exposeDefaultValues: true }));
      await sink.send(sink.render(sinkEvent(image, 0)));
      const [record] = await waitFor(() => recordsFor(image.data.task_id).length && recordsFor(image.data.task_id), 30_000, 'the image record');
      expect(record.headers).toEqual({ 'jogg-event': 'generated_image_success', 'content-type': 'application/json' });
      await sink.close();
    });

    it('checks readiness with topic metadata', async () => {
      const sink = new KafkaSink('probe', {}, plainToInstance(KafkaSinkConfig, { type: 'kafka', brokers: [broker.brokers], topic: 'jogg.videos' }, { exposeDefaultValues: true }));
      await expect(sink.check()).resolves.toBeUndefined();
      await sink.close();
    });

    it('counts a topic the broker will create on the first produce as ready (auto.create.topics.enable)', async () => {
      const topic = `jogg.not-yet-${Date.now()}`;
      const sink = new KafkaSink('probe', {}, plainToInstance(KafkaSinkConfig, { type: 'kafka', brokers: [broker.brokers], topic }, { exposeDefaultValues: true }));
      await expect(sink.check()).resolves.toBeUndefined();
      const admin = new Kafka({ brokers: [broker.brokers], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      expect(await admin.listTopics()).not.toContain(topic); // the check itself created nothing
      await admin.disconnect();
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
}
