import { AddressInfo, Socket } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, SMTPServerAddress, SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  mail: ParsedMail;
  raw: string;
}

export interface SmtpTestOptions {
  /** Offer STARTTLS (with smtp-server's built-in self-signed certificate). Default false. */
  starttls?: boolean;
  /** How long `slow@…` recipients make the server wait before answering the end of the message. */
  slowMs?: number;
}

/**
 * A real SMTP server on a loopback port (the smtp-server package) that records the MIME it receives.
 * Recipients pick its answers: `reject@…` gets `550 mailbox unavailable` at RCPT TO; `busy@…` gets
 * `451 try again later` at the end of DATA the first time, then delivery succeeds; `drop@…` is kept
 * (received) and then the connection is dropped without an answer, the first time; `slow@…` is kept and
 * answered after `slowMs` (as is every `slow…@` recipient). Every message that reached the end of DATA is in `transmissions`, with the
 * answer it got. Login: user / pass; every login attempt is in `auths`, with whether TLS was on.
 */
export class SmtpTestServer {
  readonly received: ReceivedMail[] = [];
  readonly answers: { code: number; at: number }[] = [];
  readonly transmissions: { to: string[]; messageId?: string; answer: number | 'dropped' }[] = [];
  readonly auths: { user: string; secure: boolean }[] = [];
  port = 0;
  private server?: SMTPServer;
  private readonly once = new Set<string>();

  static async start(options: SmtpTestOptions = {}): Promise<SmtpTestServer> {
    const smtp = new SmtpTestServer();
    smtp.server = new SMTPServer({
      ...(options.starttls ? {} : { disabledCommands: ['STARTTLS'] }),
      authOptional: false,
      logger: false,
      onAuth: (auth, session, callback) => {
        smtp.auths.push({ user: auth.username ?? '', secure: session.secure });
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
        stream.on('end', () => void smtp.answer(Buffer.concat(chunks).toString('utf8'), session, options, callback));
      },
    });
    await new Promise<void>((resolve) => smtp.server!.listen(0, '127.0.0.1', () => resolve()));
    smtp.port = (smtp.server.server.address() as AddressInfo).port;
    return smtp;
  }

  private async answer(raw: string, session: SMTPServerSession, options: SmtpTestOptions, callback: (error?: Error | null) => void) {
    const to = session.envelope.rcptTo.map((r) => r.address);
    const mail = await simpleParser(raw);
    const transmission = { to, messageId: mail.messageId, answer: 250 as number | 'dropped' };
    this.transmissions.push(transmission);
    if (this.first(to, 'busy@')) {
      transmission.answer = 451;
      this.answers.push({ code: 451, at: Date.now() });
      return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
    }
    const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    this.received.push({ from, to, mail, raw });
    if (this.first(to, 'drop@')) {
      transmission.answer = 'dropped';
      return this.socketOf(session)?.destroy(); // the mail is kept, the client never hears so
    }
    if (to.some((a) => a.startsWith('slow'))) await new Promise((resolve) => setTimeout(resolve, options.slowMs ?? 0));
    this.answers.push({ code: 250, at: Date.now() });
    callback();
  }

  /** True the first time a message goes to a recipient starting with `prefix`. */
  private first(to: string[], prefix: string): boolean {
    if (!to.some((a) => a.startsWith(prefix)) || this.once.has(prefix)) return false;
    this.once.add(prefix);
    return true;
  }

  private socketOf(session: SMTPServerSession): Socket | undefined {
    const connections = (this.server as unknown as { connections: Set<{ id: string; _socket: Socket }> }).connections;
    return [...connections].find((c) => c.id === session.id)?._socket;
  }

  /** Copies of the mail kept for recipients starting with `prefix`. */
  copiesFor(prefix: string): ReceivedMail[] {
    return this.received.filter((r) => r.to.some((a) => a.startsWith(prefix)));
  }

  url(user = 'user', pass = 'pass'): string {
    return `smtp://${user}:${pass}@127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
