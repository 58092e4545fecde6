import { plainToInstance } from 'class-transformer';
import { ConfigError } from '../../config/config.error';
import { parseConfig } from '../../config/config.loader';
import { EmailSinkConfig } from './email.config';
import { EmailSink } from './email.sink';
import { SinkEvent } from '../core/sink';

const problemsOf = (sink: string) => {
  try {
    parseConfig(`sinks:\n  mail: ${sink}\nroutes: [{ name: all, match: { events: ["*"] }, to: [mail] }]\n`, 'bridge.yaml', {});
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
};

const event = (deliveryId: number, body = '{"event":"generated_video_failed","timestamp":1,"data":{}}'): SinkEvent =>
  ({ id: 1, deliveryId, envelope: JSON.parse(body), body, endpoint: null, receivedAt: 0 });

const sink = (name: string, from = 'jogg-bridge <bridge@mail.example.com>', extra: object = {}) =>
  new EmailSink(name, {}, plainToInstance(EmailSinkConfig, { type: 'email', smtp: 'smtp://127.0.0.1:25', from, to: ['a@example.com'], ...extra }));

describe('email sink config', () => {
  it('refuses requireTLS: false next to credentials unless allowInsecureAuth says so', () => {
    expect(problemsOf('{ type: email, smtp: "smtp://u:p@h:587", from: a@example.com, to: [x@example.com], tls: { requireTLS: false } }'))
      .toEqual(['sinks.mail.tls: tls.requireTLS: false would send the SMTP credentials in clear: set tls.allowInsecureAuth: true to allow that']);
    expect(problemsOf('{ type: email, smtp: "smtp://u:p@h:587", from: a@example.com, to: [x@example.com], tls: { requireTLS: false, allowInsecureAuth: true } }')).toEqual([]);
    expect(problemsOf('{ type: email, smtp: "smtp://h:25", from: a@example.com, to: [x@example.com], tls: { requireTLS: false } }')).toEqual([]);
  });

  it('refuses options in the URL query: TLS settings are keys of tls', () => {
    expect(problemsOf('{ type: email, smtp: "smtp://u:p@h:587?requireTLS=false", from: a@example.com, to: [x@example.com] }'))
      .toEqual(['sinks.mail.smtp: smtp must be an smtp:// or smtps:// URL without ?options (TLS settings go under tls:)']);
  });

  it('bounds one send by timeout + dataTimeout (10 minutes for the final answer by default, as RFC 5321 asks)', () => {
    expect(sink('a').maxSendMs).toBe(30_000 + 600_000);
    expect(sink('a', 'a@b.c', { timeout: '5s', dataTimeout: '1m' }).maxSendMs).toBe(65_000);
  });
});

describe('email Message-ID', () => {
  it('is the same on every render of one delivery, and names the delivery and the sender domain', () => {
    const id = sink('ops').render(event(42)).messageId;
    expect(id).toMatch(/^<jogg\.42\.[0-9a-f]{16}@mail\.example\.com>$/);
    expect(sink('ops').render(event(42)).messageId).toBe(id);
  });

  it('differs between deliveries, sinks and bodies', () => {
    const ids = [sink('ops').render(event(42)), sink('ops').render(event(43)), sink('other').render(event(42)),
      sink('ops').render(event(42, '{"event":"x","timestamp":2,"data":{}}'))].map((m) => m.messageId);
    expect(new Set(ids).size).toBe(4);
  });
});
