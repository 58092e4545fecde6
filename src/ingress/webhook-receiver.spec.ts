import { endpointOf } from './webhook-receiver';

describe('endpointOf', () => {
  it.each([
    ['/webhooks/jogg', null],
    ['/webhooks/jogg?source=jogg', null],
    ['/webhooks/jogg/videos', 'videos'],
    ['/webhooks/jogg/videos~2?x=1', 'videos~2'],
    ['/webhooks/jogg/caf%C3%A9', 'café'],
  ])('takes %s as endpoint %p', (url, endpoint) => {
    expect(endpointOf(url)).toBe(endpoint);
  });

  it.each(['/webhooks/jogg/', '/webhooks/jogg/a/b', '/webhooks/joggx', '/webhooks', '/admin/events', '/webhooks/jogg/%E0%A4%A'])(
    'leaves %s to the rest of the app',
    (url) => {
      expect(endpointOf(url)).toBeUndefined();
    },
  );
});
