import { plainToInstance } from 'class-transformer';
import { EmailSinkConfig } from '../../src/sinks/email/email.config';
import { EmailSink } from '../../src/sinks/email/email.sink';
import { PermanentSinkError } from '../../src/sinks/core/sink';
import { startBridge, TestBridge } from '../support/bridge';
import { videoEvent } from '../support/fixtures';
import { signedHeaders } from '../support/signing';
import { SmtpTestServer } from '../support/smtp';
import { waitFor } from '../support/wait';

const SECRET = 'email-test-secret';
/** How long the server takes to answer the end of a message for slow…@ recipients: over the `timeout: 1s` of the slow sink. */
const SLOW_MS = 2500;

describe('email sink against a real SMTP server', () => {
  let smtp: SmtpTestServer;
  let bridge: TestBridge;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start({ slowMs: SLOW_MS });
    // The test server has no TLS: the sinks that log in say so with allowInsecureAuth (all but "cleartext").
    // The lease is far shorter than the slow server: the email lanes must lease their claims for longer.
    bridge = await startBridge(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms, lease: 1s }
retry: { attempts: 4, backoff: { initial: 200ms, max: 500ms, jitter: false } }
sinks:
  ops:
    type: email
    smtp: "\${SMTP_URL}"
    from: "jogg-bridge <bridge@example.com>"
    to: "ops@example.com, oncall@example.com"
    cc: [lead@example.com]
    tls: { allowInsecureAuth: true }
  rejecting: { type: email, smtp: "\${SMTP_URL}", from: bridge@example.com, to: [reject@example.com], tls: { allowInsecureAuth: true } }
  busy: { type: email, smtp: "\${SMTP_URL}", from: bridge@example.com, to: [busy@example.com], tls: { allowInsecureAuth: true } }
  dropping: { type: email, smtp: "\${SMTP_URL}", from: bridge@example.com, to: [drop@example.com], tls: { allowInsecureAuth: true } }
  slow: { type: email, smtp: "\${SMTP_URL}", from: bridge@example.com, to: [slow@example.com], timeout: 1s, tls: { allowInsecureAuth: true } }
  impatient: { type: email, smtp: "\${SMTP_URL}", from: bridge@example.com, to: [slow-impatient@example.com], dataTimeout: 1s, tls: { allowInsecureAuth: true } }
  cleartext: { type: email, smtp: "\${SMTP_CLEAR_URL}", from: bridge@example.com, to: [clear@example.com] }
  unreachable: { type: email, smtp: "smtp://user:hunter2@127.0.0.1:9", from: bridge@example.com, to: [x@example.com], timeout: 2s }
routes:
  - { name: default, match: { events: ["default_*"] }, to: [ops] }
  - name: templated
    match: { events: ["templated_*"] }
    to: [ops]
    email:
      subject: "Failed: {{ event }} {{ resource_id }}"
      text: "Error: {{ error_message }}"
      html: "<h1>{{ event }}</h1><p>{{ error_message }}</p>"
  - { name: rejected, match: { events: ["rejected_*"] }, to: [rejecting] }
  - { name: busy, match: { events: ["busy_*"] }, to: [busy] }
  - { name: unreachable, match: { events: ["unreachable_*"] }, to: [unreachable] }
  - { name: dropping, match: { events: ["dropping_*"] }, to: [dropping] }
  - { name: slow, match: { events: ["slow_*"] }, to: [slow] }
  - { name: impatient, match: { events: ["impatient_*"] }, to: [impatient] }
  - { name: cleartext, match: { events: ["cleartext_*"] }, to: [cleartext] }
`, { SMTP_URL: smtp.url(), SMTP_CLEAR_URL: smtp.url('clear-user') }); // its own user: other sinks' retries log in meanwhile
  });
  afterAll(async () => {
    await bridge.close();
    await smtp.close();
  });

  async function send(body: object): Promise<number> {
    const text = JSON.stringify(body);
    const res = await bridge.post('/webhooks/jogg', text, signedHeaders(text, SECRET));
    expect(res.status).toBe(200);
    return res.body.id;
  }
  const settled = (id: number, statuses = ['delivered', 'dead'], timeoutMs = 15_000) =>
    waitFor(async () => {
      const [d] = await bridge.store.listDeliveries({ eventPk: id });
      return d && statuses.includes(d.status) ? d : undefined;
    }, timeoutMs, `delivery of event ${id}`);

  it('sends a default mail with the event, resource, error and data', async () => {
    const body = videoEvent('default_video_failed', { error: { code: 50000, message: 'Video generation failed' } });
    const delivery = await settled(await send(body));
    expect(delivery.status).toBe('delivered');
    const received = smtp.received.find((r) => r.mail.subject?.includes(body.data.video_id))!;
    expect(received.from).toBe('bridge@example.com');
    expect(received.to.sort()).toEqual(['lead@example.com', 'oncall@example.com', 'ops@example.com']);
    expect(received.mail.subject).toBe(`[jogg] default_video_failed ${body.data.video_id}`);
    expect(received.mail.headers.get('x-jogg-event')).toBe('default_video_failed');
    expect(received.mail.headers.get('x-jogg-event-id')).toBe(body.event_id);
    expect(received.mail.text).toContain(`Resource: ${body.data.video_id}\nError: Video generation failed\n`);
    expect(received.mail.text).toContain('"code":50000');
    expect(received.mail.html).toBe(false);
  });

  it('renders route templates, HTML-escaping payload values in the HTML part', async () => {
    const body = videoEvent('templated_video_failed', { error: { message: '<script>alert("x")</script> & more' } });
    await settled(await send(body));
    const received = smtp.received.find((r) => r.mail.subject === `Failed: templated_video_failed ${body.data.video_id}`)!;
    expect(received.mail.text?.trim()).toBe('Error: <script>alert("x")</script> & more');
    expect(received.mail.html).toBe('<h1>templated_video_failed</h1><p>&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; more</p>');
  });

  it('dead-letters a 550 at once', async () => {
    const delivery = await settled(await send(videoEvent('rejected_video_failed')));
    expect([delivery.status, delivery.attempts]).toEqual(['dead', 1]);
    expect(delivery.lastError).toMatch(/^SMTP 550: .*mailbox unavailable/);
  });

  it('retries a 451 and then delivers, with the same Message-ID on both attempts', async () => {
    const delivery = await settled(await send(videoEvent('busy_video_failed')));
    expect([delivery.status, delivery.attempts]).toEqual(['delivered', 2]);
    expect(smtp.answers.filter((a) => a.code === 451)).toHaveLength(1);
    const attempts = await bridge.store.listAttempts(delivery.id);
    expect(attempts[0]).toMatchObject({ outcome: 'retry', error: expect.stringMatching(/^SMTP 451: .*try again later/) });
    const sent = smtp.transmissions.filter((t) => t.to.includes('busy@example.com'));
    expect(sent.map((t) => t.answer)).toEqual([451, 250]);
    expect(sent[1].messageId).toBe(sent[0].messageId);
    expect(sent[0].messageId).toMatch(new RegExp(`^<jogg\\.${delivery.id}\\.[0-9a-f]{16}@example\\.com>$`));
  });

  it('gives the copies of a mail whose answer was lost one Message-ID, so mail clients show one', async () => {
    const delivery = await settled(await send(videoEvent('dropping_video_failed')));
    expect([delivery.status, delivery.attempts]).toEqual(['delivered', 2]);
    const copies = smtp.copiesFor('drop@');
    expect(copies).toHaveLength(2); // the server kept the first one, but the connection dropped before it said so
    expect(copies[0].mail.messageId).toMatch(new RegExp(`^<jogg\\.${delivery.id}\\.[0-9a-f]{16}@example\\.com>$`));
    expect(copies[1].mail.messageId).toBe(copies[0].mail.messageId);
  });

  it('waits for a server slower than the connect timeout at the end of the message: one copy, one attempt', async () => {
    const delivery = await settled(await send(videoEvent('slow_video_failed')), ['delivered', 'dead'], 30_000);
    expect([delivery.status, delivery.attempts]).toEqual(['delivered', 1]);
    expect(smtp.copiesFor('slow@')).toHaveLength(1);
  });

  it('gives up on a server slower than dataTimeout, and retries', async () => {
    const id = await send(videoEvent('impatient_video_failed'));
    const [delivery] = await bridge.store.listDeliveries({ eventPk: id });
    const [first] = await waitFor(async () => {
      const attempts = await bridge.store.listAttempts(delivery.id);
      return attempts.length ? attempts : undefined;
    }, 15_000, 'a first attempt');
    expect(first).toMatchObject({ outcome: 'retry', error: expect.stringMatching(/^ETIMEDOUT/) });
  });

  it('does not log in over a connection without TLS unless allowInsecureAuth is set: dead at once, with the reason', async () => {
    const delivery = await settled(await send(videoEvent('cleartext_video_failed')));
    expect([delivery.status, delivery.attempts]).toEqual(['dead', 1]);
    expect(delivery.lastError).toMatch(/^ETLS: TLS is required .*credentials are never sent in clear.*tls\.allowInsecureAuth: true/);
    expect(smtp.auths.filter((a) => a.user === 'clear-user')).toEqual([]); // no login at all, so none in clear
    expect(smtp.copiesFor('clear@')).toEqual([]);
  });

  it('logs in without TLS when allowInsecureAuth says so', async () => {
    const authsBefore = smtp.auths.length;
    const sink = new EmailSink('insecure', {}, plainToInstance(EmailSinkConfig, { type: 'email', smtp: smtp.url(), from: 'a@example.com', to: ['insecure@example.com'], tls: { allowInsecureAuth: true } }));
    const body = videoEvent('generated_video_failed');
    await sink.send(sink.render({ id: 1, deliveryId: 9, envelope: body, body: JSON.stringify(body), endpoint: null, receivedAt: Date.now() }));
    await sink.close();
    // (the pool may open a second connection on a busy machine: every login it made was in clear, as allowed)
    const logins = smtp.auths.slice(authsBefore).filter((a) => a.user === 'user');
    expect(logins.length).toBeGreaterThanOrEqual(1);
    expect(logins.every((a) => !a.secure)).toBe(true);
    expect(smtp.copiesFor('insecure@')).toHaveLength(1);
  });

  it('retries connection failures, and never shows the SMTP password', async () => {
    const id = await send(videoEvent('unreachable_video_failed'));
    const delivery = await waitFor(async () => {
      const [d] = await bridge.store.listDeliveries({ eventPk: id });
      return d && d.attempts >= 2 ? d : undefined;
    }, 15_000);
    expect(['retrying', 'dead']).toContain(delivery.status);
    expect(delivery.lastError).toMatch(/^(ECONNECTION|ESOCKET|ETIMEDOUT)/);
    expect(delivery.lastError).not.toContain('hunter2');
  });

  it('checks readiness with SMTP verify (login included)', async () => {
    const sink = (url: string) => new EmailSink('ops', {}, plainToInstance(EmailSinkConfig, { type: 'email', smtp: url, from: 'a@example.com', to: ['b@example.com'], tls: { allowInsecureAuth: true } }));
    const good = sink(smtp.url());
    await expect(good.check()).resolves.toBeUndefined();
    await good.close();
    const bad = sink(smtp.url('user', 'wrong'));
    await expect(bad.check()).rejects.toBeInstanceOf(PermanentSinkError);
    await bad.close();
  });
});

describe('email sink against an SMTP server that offers STARTTLS', () => {
  let smtp: SmtpTestServer;
  beforeAll(async () => (smtp = await SmtpTestServer.start({ starttls: true })));
  afterAll(() => smtp.close());

  it('logs in only after STARTTLS when credentials are configured (the default), and delivers', async () => {
    // The test server's certificate is smtp-server's own self-signed one.
    const config = plainToInstance(EmailSinkConfig, { type: 'email', smtp: smtp.url(), from: 'a@example.com', to: ['tls@example.com'], tls: { rejectUnauthorized: false } });
    const sink = new EmailSink('tls', {}, config);
    const body = videoEvent('generated_video_failed');
    const event = { id: 1, deliveryId: 7, envelope: body, body: JSON.stringify(body), endpoint: null, receivedAt: Date.now() };
    await sink.send(sink.render(event));
    await sink.close();
    expect(smtp.auths).toEqual([{ user: 'user', secure: true }]);
    expect(smtp.copiesFor('tls@')).toHaveLength(1);
  });
});
