import { startBridge, TestBridge } from '../support/bridge';
import { videoEvent } from '../support/fixtures';
import { Receiver } from '../support/receiver';
import { signedHeaders } from '../support/signing';
import { waitFor } from '../support/wait';

const SECRET = 'attempt-test-secret';
const SIGNING_SECRET = `whsec_${Buffer.from('attempt-signing-key-0123456789ab').toString('base64')}`;

describe('HTTP deliveries say which attempt they are', () => {
  let receiver: Receiver;
  let bridge: TestBridge;

  beforeAll(async () => {
    receiver = await Receiver.start();
    bridge = await startBridge(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
retry: { attempts: 4, backoff: { initial: 100ms, max: 200ms, jitter: false } }
delivery: { pollInterval: 50ms }
sinks:
  plain: { type: http, url: "${receiver.url}/plain" }
  signed: { type: http, url: "${receiver.url}/signed", sign: { secret: "${SIGNING_SECRET}" } }
routes:
  - { name: plain, match: { events: ["plain_*"] }, to: [plain] }
  - { name: signed, match: { events: ["signed_*"] }, to: [signed] }
`);
  });
  afterAll(async () => {
    await bridge.close();
    await receiver.close();
  });

  async function deliveredAfterOneRetry(event: string, path: string) {
    receiver.reply({ status: 503, body: 'busy' });
    const text = JSON.stringify(videoEvent(event));
    const res = await bridge.post('/webhooks/jogg', text, signedHeaders(text, SECRET));
    expect(res.status).toBe(200);
    const [delivery] = await bridge.store.listDeliveries({ eventPk: res.body.id });
    await waitFor(async () => (await bridge.store.getDelivery(delivery.id))?.status === 'delivered', 10_000, 'the delivery');
    return receiver.requests.filter((r) => r.url === path);
  }

  it('sends webhook-attempt 1, then 2 on the retry after a 503 (unsigned)', async () => {
    const requests = await deliveredAfterOneRetry('plain_video_failed', '/plain');
    expect(requests.map((r) => r.headers['webhook-attempt'])).toEqual(['1', '2']);
  });

  it('sends webhook-attempt next to a webhook-id that stays the same (signed)', async () => {
    const requests = await deliveredAfterOneRetry('signed_video_failed', '/signed');
    expect(requests.map((r) => r.headers['webhook-attempt'])).toEqual(['1', '2']);
    expect(requests[1].headers['webhook-id']).toBe(requests[0].headers['webhook-id']);
  });
});
