import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, SMTPServerAddress } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  mail: ParsedMail;
  raw: string;
}

/**
 * A real SMTP server on a loopback port (the smtp-server package) that records the MIME it receives.
 * Recipients pick its answers: `reject@…` gets `550 mailbox unavailable` at RCPT TO; `busy@…` gets
 * `451 try again later` at the end of DATA the first time, then delivery succeeds. Login: user / pass.
 */
export class SmtpTestServer {
  readonly received: ReceivedMail[] = [];
  readonly answers: { code: number; at: number }[] = [];
  port = 0;
  private server?: SMTPServer;
  private busyOnce = false;

  static async start(): Promise<SmtpTestServer> {
    const smtp = new SmtpTestServer();
    smtp.server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: false,
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === 'user' && auth.password === 'pass') return callback(null, { user: auth.username });
        return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        if (address.address.startsWith('reject@')) {
          smtp.answers.push({ code: 550, at: Date.now() });
          return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
        }
        return callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          if (to.some((a) => a.startsWith('busy@')) && !smtp.busyOnce) {
            smtp.busyOnce = true;
            smtp.answers.push({ code: 451, at: Date.now() });
            return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          smtp.received.push({ from, to, mail: await simpleParser(raw), raw });
          smtp.answers.push({ code: 250, at: Date.now() });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.server!.listen(0, '127.0.0.1', () => resolve()));
    smtp.port = (smtp.server.server.address() as AddressInfo).port;
    return smtp;
  }

  url(user = 'user', pass = 'pass'): string {
    return `smtp://${user}:${pass}@127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
