import { templateContext } from '.';

describe('templateContext', () => {
  it('gives the fields templates read, from a plain input', () => {
    const envelope = { event: 'generated_video_failed', event_id: 'e1', timestamp: 1764115201, data: { video_id: 'v1', error: { code: 50000, message: 'boom' } } };
    expect(templateContext({ envelope, endpoint: 'main', receivedAt: Date.UTC(2025, 10, 26), bridgeId: 7, deliveryId: 9 })).toEqual({
      event: 'generated_video_failed', event_id: 'e1', timestamp: 1764115201, time: '2025-11-26T00:00:01.000Z', data: envelope.data,
      resource_id: 'v1', error_message: 'boom', error_code: '50000', endpoint: 'main', received_at: '2025-11-26T00:00:00.000Z',
      bridge_id: 7, delivery_id: 9,
    });
  });
});
