import { GroupInput } from '../../templating';
import { EmailSinkConfig } from './email.config';
import { EmailSink } from './email.sink';

const config = Object.assign(new EmailSinkConfig(), { type: 'email', smtp: 'smtp://127.0.0.1:2525', from: 'bridge@example.com', to: ['ops@example.com'] });

const group: GroupInput = {
  id: 4, deliveryId: 12, route: 'failures', labels: { event: 'generated_video_failed' }, count: 3,
  counts: [{ event: 'generated_video_failed', count: 2 }, { event: 'generated_image_failed', count: 1 }],
  members: [
    { bridgeId: 1, receivedAt: 0, envelope: { event: 'generated_video_failed', timestamp: 1_764_489_600, data: { video_id: 'v1', error: { code: 18020, message: 'No <b>credits</b>' } } } },
    { bridgeId: 2, receivedAt: 0, envelope: { event: 'generated_image_failed', timestamp: 1_764_489_601, data: { task_id: 't2', error: 'bad prompt' } } },
  ],
  openedAt: Date.UTC(2026, 10, 30, 8, 0, 0), flushedAt: Date.UTC(2026, 10, 30, 8, 5, 0), cli: 'jogg-bridge groups show 4',
};

describe('email group messages', () => {
  it('sends one mail with the counts in the subject and a table of the members, payload text escaped', () => {
    const mail = new EmailSink('ops', {}, config).renderGroup(group);
    expect(mail.subject).toBe('[jogg] 2 × generated_video_failed, 1 × generated_image_failed in 5 min');
    expect(mail.html).toContain('<tr><td>2025-11-30T08:00:00.000Z</td><td>generated_video_failed</td><td>v1</td><td>18020</td><td>No &#60;b&#62;credits&#60;/b&#62;</td></tr>');
    expect(mail.html).toContain('<tr><td>generated_image_failed</td><td>1</td></tr>');
    expect(mail.html).toContain('+1 more not listed: <code>jogg-bridge groups show 4</code>');
    expect(mail.text).toContain('2025-11-30T08:00:01.000Z  generated_image_failed  t2  bad prompt');
    expect(mail.headers).toEqual({ 'X-Jogg-Group': '4', 'X-Jogg-Group-Count': '3' });
    expect(mail.messageId).toMatch(/^<jogg\.group\.4\.12\.[0-9a-f]{16}@example\.com>$/);
    expect(new EmailSink('ops', {}, config).renderGroup(group)).toEqual(mail);
  });
});
