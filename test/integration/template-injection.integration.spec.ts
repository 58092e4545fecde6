import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBridge, TestBridge } from '../support/bridge';
import { cliSync } from '../support/cli';
import { videoEvent } from '../support/fixtures';
import { Receiver } from '../support/receiver';
import { signedHeaders } from '../support/signing';
import { waitFor } from '../support/wait';

const SECRET = 'template-test-secret';
/** What an attacker who controls an error message would write to add a key to a hand-written JSON body. */
const INJECTION = '", "admin": true, "x": "';

describe('HTTP bodies written as YAML mappings cannot be injected', () => {
  let receiver: Receiver;
  let bridge: TestBridge;

  beforeAll(async () => {
    receiver = await Receiver.start();
    bridge = await startBridge(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 50ms }
sinks:
  hook:
    type: http
    url: ${receiver.url}/hook
    body:
      text: "{{ error_message }}"
      summary: "{{ event }} failed: {{ error_message }}"
      video: "{{ data.video_id }}"
      count: "{{ data.count }}"
      missing: "{{ data.nothing }}"
      tags: ["{{ event }}", fixed]
  plain: { type: http, url: "${receiver.url}/plain" }
routes:
  - name: hook
    match: { events: ["generated_video_failed"] }
    to: [hook]
  - name: override
    match: { events: ["generated_image_failed"] }
    to: [plain]
    http: { body: { message: "{{ error_message }}", detail: "{{ data | json }}" } }
`);
  });
  afterAll(async () => {
    await bridge.close();
    await receiver.close();
  });

  async function deliver(event: string, extra: Record<string, unknown>) {
    const body = JSON.stringify(videoEvent(event, extra));
    receiver.requests.length = 0;
    expect((await bridge.post('/webhooks/jogg', body, signedHeaders(body, SECRET))).status).toBe(200);
    await waitFor(() => receiver.requests.length === 1, 10_000, 'the delivery');
    expect(receiver.requests[0].headers['content-type']).toBe('application/json');
    return JSON.parse(receiver.requests[0].body) as Record<string, unknown>;
  }

  it('a sink body mapping: every leaf is a JSON string, payload text adds no key; a lone tag keeps its type', async () => {
    const sent = await deliver('generated_video_failed', { error: INJECTION, count: 3 });
    expect(Object.keys(sent)).toEqual(['text', 'summary', 'video', 'count', 'missing', 'tags']);
    expect(sent.text).toBe(INJECTION);
    expect(sent.summary).toBe(`generated_video_failed failed: ${INJECTION}`);
    expect(sent.count).toBe(3);
    expect(sent.missing).toBeNull();
    expect(sent.tags).toEqual(['generated_video_failed', 'fixed']);
    expect(sent).not.toHaveProperty('admin');
  });

  it('a route override body mapping, the same', async () => {
    const sent = await deliver('generated_image_failed', { error: INJECTION });
    expect(Object.keys(sent)).toEqual(['message', 'detail']);
    expect(sent.message).toBe(INJECTION);
    expect(JSON.parse(sent.detail as string).error).toBe(INJECTION);
  });
});

describe('a warning for string templates that produce JSON', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jogg-template-warn-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function check(yaml: string) {
    const file = join(dir, 'bridge.yaml');
    writeFileSync(file, yaml);
    return cliSync(['check', '--config', file], { JOGG_WEBHOOK_SECRET: 'x'.repeat(16) });
  }

  it('`check` warns (and still passes) for a tag inside a JSON string, on a sink and on a route override', () => {
    const run = check(`
jogg: { secrets: ["\${JOGG_WEBHOOK_SECRET}"] }
sinks:
  hook: { type: http, url: "http://127.0.0.1:9/x", body: '{"text": "{{ error_message }}"}' }
  kafka: { type: kafka, brokers: ["127.0.0.1:9"], topic: t, value: '{"id": {{ event_id }}}' }
routes:
  - { name: r, match: { events: ["*"] }, to: [hook], http: { body: '{"m": "{{ data.video_id | upper }}"}' } }
`);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/warning: .*bridge\.yaml:4:\d+ +sinks\.hook\.body: .*\{\{ error_message \}\} inside a JSON string/);
    expect(run.stdout).toMatch(/warning: .*sinks\.kafka\.value: .*\{\{ event_id \}\} without the json filter/);
    expect(run.stdout).toMatch(/warning: .*routes\[0\]\.http\.body: .*\{\{ data\.video_id \| upper \}\}/);
  });

  it('a Kafka value mapping (sink and route) renders as JSON with the intended keys only', () => {
    const file = join(dir, 'kafka.yaml');
    writeFileSync(file, `
jogg: { secrets: ["\${JOGG_WEBHOOK_SECRET}"] }
sinks:
  stream: { type: kafka, brokers: ["127.0.0.1:9"], topic: t, value: { text: "{{ error_message }}", n: "{{ data.n }}" } }
routes:
  - { name: all, match: { events: ["*"] }, to: [stream], continue: true }
  - { name: over, match: { events: ["*"] }, to: [stream], kafka: { value: ["{{ error_message }}"] } }
`);
    const run = cliSync(['routes', 'test', '--config', file, '--json', '--event', 'generated_image_failed', '--data', JSON.stringify({ error: INJECTION, n: 7 })], { JOGG_WEBHOOK_SECRET: 'x'.repeat(16) });
    expect(run.stderr).toBe('');
    const [all, over] = JSON.parse(run.stdout).routes.map((r: { deliveries: { message: { value: string } }[] }) => JSON.parse(r.deliveries[0].message.value));
    expect(all).toEqual({ text: INJECTION, n: 7 });
    expect(over).toEqual([INJECTION]);
  });

  it('no warning for the mapping form, for the json filter outside quotes, or for a body that is not JSON', () => {
    const run = check(`
jogg: { secrets: ["\${JOGG_WEBHOOK_SECRET}"] }
sinks:
  mapped: { type: http, url: "http://127.0.0.1:9/x", body: { text: "{{ error_message }}" } }
  filtered: { type: http, url: "http://127.0.0.1:9/x", body: '{"text": {{ error_message | json }}, "n": 1}' }
  form: { type: http, url: "http://127.0.0.1:9/x", headers: { content-type: text/plain }, body: "failed: {{ error_message }}" }
routes: []
`);
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('warning');
  });
});
