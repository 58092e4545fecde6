import { AdminService } from '../../src/admin/admin.service';
import { ReplayRequest } from '../../src/admin/admin.dto';
import { ReplayService } from '../../src/delivery/replay.service';
import { ReadinessService } from '../../src/ops/readiness.service';
import { startBridge, TestBridge } from '../support/bridge';
import { videoEvent } from '../support/fixtures';
import { Receiver } from '../support/receiver';
import { signedHeaders } from '../support/signing';
import { waitFor } from '../support/wait';

const SECRET = 'events-test-secret';

/**
 * The modules talk through events, not through each other's classes: with the dispatcher's poll an hour apart,
 * only `event.accepted` and `deliveries.requeued` can make it send within the test, and only `bridge.stopping`
 * tells the webhook receiver (ingress) that ops began a shutdown.
 */
describe('events between the modules of a running bridge', () => {
  let receiver: Receiver;
  let bridge: TestBridge;

  beforeAll(async () => {
    receiver = await Receiver.start();
    bridge = await startBridge(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 1h }
sinks:
  hook: { type: http, url: ${receiver.url}/hook }
routes:
  - name: to-hook
    match: { events: ["generated_video_*"] }
    to: [hook]
`);
  });
  afterAll(async () => {
    await bridge.close();
    await receiver.close();
  });

  async function send(): Promise<{ status: number; deliveryId: number }> {
    const text = JSON.stringify(videoEvent());
    const res = await bridge.post('/webhooks/jogg', text, signedHeaders(text, SECRET));
    const [delivery] = await bridge.store.listDeliveries({ eventPk: res.body.id });
    return { status: res.status, deliveryId: delivery.id };
  }

  const statusOf = async (id: number) => (await bridge.store.getDelivery(id))?.status;

  it('sends an accepted event at once (event.accepted wakes the dispatcher), not at the next poll', async () => {
    const { status, deliveryId } = await send();
    expect(status).toBe(200);
    await waitFor(async () => (await statusOf(deliveryId)) === 'delivered', 10_000, 'the delivery');
    expect(receiver.requests).toHaveLength(1);
  });

  it('sends a replayed dead letter at once (deliveries.requeued wakes the dispatcher)', async () => {
    receiver.reply({ status: 400, body: 'refused' });
    const { deliveryId } = await send();
    await waitFor(async () => (await statusOf(deliveryId)) === 'dead', 10_000, 'the dead letter');
    expect(await bridge.app.get(ReplayService).replay({ ids: [deliveryId] })).toBe(1);
    await waitFor(async () => (await statusOf(deliveryId)) === 'delivered', 10_000, 'the replayed delivery');
  });

  it('the admin replay says which ids it did not replay, and why (unknown, or not finished)', async () => {
    receiver.reply({ status: 400, body: 'refused' });
    const { deliveryId } = await send();
    await waitFor(async () => (await statusOf(deliveryId)) === 'dead', 10_000, 'the dead letter');
    const answer = await bridge.app.get(AdminService).replay({ ids: [deliveryId, 99_999_999] } as ReplayRequest);
    expect(answer).toEqual({ replayed: 1, notReplayed: [{ id: 99_999_999, reason: 'no such delivery' }] });
    await waitFor(async () => (await statusOf(deliveryId)) === 'delivered', 10_000, 'the replayed delivery');
    expect(await bridge.app.get(AdminService).replay({ ids: [deliveryId] } as ReplayRequest)).toEqual({ replayed: 1 });
  });

  it('refuses webhooks with 503 once shutdown began (bridge.stopping reaches the receiver)', async () => {
    bridge.app.get(ReadinessService).markStopping();
    const text = JSON.stringify(videoEvent());
    const res = await bridge.post('/webhooks/jogg', text, signedHeaders(text, SECRET));
    expect(res.status).toBe(503);
    expect(res.body.message).toBe('shutting down, retry later');
    expect(res.headers.get('retry-after')).toBe('5');
  });
});
