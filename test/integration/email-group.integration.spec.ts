import { startBridge, TestBridge } from '../support/bridge';
import { videoEvent } from '../support/fixtures';
import { signedHeaders } from '../support/signing';
import { SmtpTestServer } from '../support/smtp';
import { waitFor } from '../support/wait';

const SECRET = 'email-group-secret';

/** A grouped route to an email sink, against a real SMTP server: one mail with the counts and a table of members. */
describe('group mails against a real SMTP server', () => {
  let smtp: SmtpTestServer;
  let bridge: TestBridge;
  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    bridge = await startBridge(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms }
sinks:
  ops: { type: email, smtp: "smtp://user:pass@127.0.0.1:${smtp.port}", from: bridge@example.com, to: [ops@example.com], tls: { allowInsecureAuth: true } }
routes:
  - { name: failures, match: { events: ["*_failed"] }, to: [ops], group: { by: [data.error.code], wait: 1s, max: 5 } }
`);
  });
  afterAll(async () => {
    await bridge.close();
    await smtp.close();
  });

  it('sends one mail per group: counts in the subject, a table of the first members, the rest counted', async () => {
    const sent = [];
    for (let i = 0; i < 12; i++) {
      const body = videoEvent(i % 4 ? 'generated_video_failed' : 'generated_avatar_video_failed', { error: { code: 18020, message: `no <credits> ${i}` } });
      const text = JSON.stringify(body);
      expect((await bridge.post('/webhooks/jogg', text, signedHeaders(text, SECRET))).status).toBe(200);
      sent.push(body.data.video_id);
    }
    await waitFor(() => smtp.received.length >= 1, 15_000, 'the group mail');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(smtp.received).toHaveLength(1);
    const { mail } = smtp.received[0];
    expect(mail.subject).toBe(`[jogg] 9 × generated_video_failed, 3 × generated_avatar_video_failed (data.error.code=18020) in ${mail.subject!.match(/in (\d+ s)$/)![1]}`);
    const html = mail.html as string;
    expect(html.match(/<tr><td>\d{4}-/g)).toHaveLength(5);
    for (const id of sent.slice(0, 5)) expect(html).toContain(`<td>${id}</td>`);
    expect(html).not.toContain(`<td>${sent[5]}</td>`);
    expect(html).toContain('no &#60;credits&#62; 0');
    expect(html).toContain('+7 more not listed: <code>jogg-bridge groups show 1</code>');
    expect(mail.text).toContain('+7 more not listed: jogg-bridge groups show 1');
    expect(mail.headers.get('x-jogg-group-count')).toBe('12');
  }, 30_000);
});
