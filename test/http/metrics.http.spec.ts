import { startBridge, TestBridge } from '../support/bridge';
import { videoEvent } from '../support/fixtures';
import { Receiver } from '../support/receiver';
import { joggSignature, signedHeaders } from '../support/signing';
import { waitFor } from '../support/wait';

const SECRET = 'metrics-secret';

/** The value of one sample in Prometheus text format, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{(.*)\}/.exec(line)?.[1] ?? '';
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) return Number(line.split(' ').pop());
  }
  return 0;
}

describe('GET /metrics after a scripted run', () => {
  let bridge: TestBridge;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await Receiver.start();
    bridge = await startBridge(`
server: { bodyLimit: 8kb, maxEventAge: 1h }
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
retry: { attempts: 3, backoff: { initial: 50ms, max: 50ms, jitter: false } }
sinks: { hook: { type: http, url: "${receiver.url}/hook" } }
routes: [{ name: all, match: { events: ["*"] }, to: [hook] }]
`);
  });
  afterAll(async () => {
    await bridge.close();
    await receiver.close();
  });

  it('counts webhooks by event and outcome, deliveries by outcome, and reports queue and timings', async () => {
    const send = (body: string, headers: Record<string, string>) => bridge.post('/webhooks/jogg', body, headers);
    receiver.reply({ status: 400, body: 'no' }, { status: 500, body: 'oops' });
    const first = JSON.stringify(videoEvent('generated_video_failed'));
    expect((await send(first, signedHeaders(first, SECRET))).status).toBe(200); // 400 → dead
    const second = JSON.stringify(videoEvent('generated_video_success'));
    expect((await send(second, signedHeaders(second, SECRET))).status).toBe(200); // 500, then delivered
    const unknown = JSON.stringify(videoEvent('generated_hologram_success'));
    expect((await send(unknown, signedHeaders(unknown, SECRET))).status).toBe(200);
    expect((await send(first, signedHeaders(first, SECRET))).status).toBe(200); // duplicate
    expect((await send(first, { 'content-type': 'application/json', 'x-webhook-signature': joggSignature(first, 'wrong') })).status).toBe(401);
    expect((await send('{"event":', signedHeaders('{"event":', SECRET))).status).toBe(400);
    const stale = JSON.stringify({ ...videoEvent(), timestamp: 1 });
    expect((await send(stale, signedHeaders(stale, SECRET))).status).toBe(400);
    const big = JSON.stringify(videoEvent('generated_video_success', { pad: 'x'.repeat(9000) }));
    expect((await send(big, signedHeaders(big, SECRET))).status).toBe(413);
    expect((await send(second, { ...signedHeaders(second, SECRET), 'content-type': 'text/plain' })).status).toBe(415);
    await waitFor(async () => (await bridge.store.countDeliveries()).delivered === 2, 10_000);

    const text = await (await fetch(`${bridge.url}/metrics`)).text();
    const webhooks = (event: string, outcome: string) => sample(text, 'bridge_webhooks_total', { event, outcome });
    expect(webhooks('generated_video_failed', 'accepted')).toBe(1);
    expect(webhooks('generated_video_success', 'accepted')).toBe(1);
    expect(webhooks('other', 'accepted')).toBe(1);
    expect(webhooks('generated_video_failed', 'duplicate')).toBe(1);
    expect(webhooks('none', 'bad_signature')).toBe(1);
    expect(webhooks('none', 'malformed')).toBe(1);
    expect(webhooks('generated_video_success', 'stale')).toBe(1);
    expect(webhooks('none', 'too_large')).toBe(1);
    expect(webhooks('none', 'unsupported_media_type')).toBe(1);
    expect(text).not.toContain('generated_hologram_success');

    const deliveries = (outcome: string) => sample(text, 'bridge_deliveries_total', { sink: 'hook', route: 'all', outcome });
    expect([deliveries('delivered'), deliveries('retry'), deliveries('dead')]).toEqual([2, 1, 1]);
    expect(sample(text, 'bridge_delivery_duration_seconds_count', { sink: 'hook' })).toBe(4);
    expect(sample(text, 'bridge_event_to_delivery_seconds_count', { sink: 'hook' })).toBe(2);
    expect(sample(text, 'bridge_dead_letters', { sink: 'hook' })).toBe(1);
    expect(sample(text, 'bridge_queue_depth', { sink: 'hook', state: 'pending' })).toBe(0);
    expect(sample(text, 'bridge_config_reload_success')).toBe(1);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });
});
