import { startBridge, TestBridge } from '../support/bridge';
import { videoEvent } from '../support/fixtures';
import { Receiver } from '../support/receiver';
import { signedHeaders } from '../support/signing';
import { metricValue } from '../support/metrics';
import { waitFor } from '../support/wait';

const SECRET = 'hand-off-test-secret';

/** The hand-off (new deliveries leased at insert, sent without a claim) must not let a slow sink's lane hoard them. */
describe('hand-off to a slow sink', () => {
  let receiver: Receiver;
  let bridge: TestBridge;

  beforeAll(async () => {
    receiver = await Receiver.start();
    receiver.always({ status: 200, body: 'ok', delayMs: 20 });
    bridge = await startBridge(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { lease: 2s, pollInterval: 100ms }
sinks:
  slow: { type: http, url: "${receiver.url}/slow", concurrency: 1 }
routes:
  - { name: all, match: { events: ["*"] }, to: [slow] }
`);
  });
  afterAll(async () => {
    await bridge.close();
    await receiver.close();
  });

  const handedOff = () => metricValue(bridge.url, 'bridge_deliveries_handed_off_total{sink="slow"}');

  it('a burst faster than the sink: the lane holds only what it will send soon, the rest waits in the store, all in order, each once', async () => {
    // 150 events at once for a sink taking about 50 a second: 3 s of sending, longer than half the 2 s lease
    const sent: string[] = [];
    for (let i = 0; i < 150; i++) {
      const text = JSON.stringify(videoEvent());
      const res = await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body: text, headers: signedHeaders(text, SECRET) });
      expect(res.status).toBe(200);
      sent.push(text);
    }
    await waitFor(() => receiver.requests.length >= 150, 30_000, 'every event to reach the receiver');
    // deliveries held in the lane past half their lease would have been left to it, and sent late, out of order
    expect(receiver.requests.map((r) => r.body)).toEqual(sent);
    const handed = await handedOff();
    expect(handed).toBeGreaterThan(0);
    expect(handed).toBeLessThan(150);
  });
});
