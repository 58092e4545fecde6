import { cutText } from '../../common/cut-text';
import { createHash } from 'node:crypto';
import { createTransport, Transporter } from 'nodemailer';
import { EmailSinkConfig, smtpHasCredentials } from './email.config';
import { parseDuration } from '../../common/units';
import { compileTemplate, escapeHtml, GroupInput, groupTemplateContext, TemplateSet } from '../../templating';
import { DEFAULT_GROUP_HTML, DEFAULT_GROUP_SUBJECT, DEFAULT_GROUP_TEXT, groupMessageId } from './email-group';
import { PermanentSinkError, Sink, SinkEvent, templateContextOf, TransientSinkError } from '../core/sink';

export interface EmailMessage {
  from: string;
  to: string[];
  cc?: string[];
  bcc?: string[];
  subject: string;
  text: string;
  html?: string;
  /** The same for every attempt of one delivery, so a mail a server took twice reads as one. */
  messageId: string;
  headers: Record<string, string>;
}

const DEFAULT_SUBJECT = compileTemplate('[jogg] {{ event }}{% if resource_id %} {{ resource_id }}{% endif %}');
const DEFAULT_TEXT = compileTemplate(
  [
    'JoggAI event {{ event }}{% if event_id %} ({{ event_id }}){% endif %} at {{ time }}',
    '{% if resource_id %}Resource: {{ resource_id }}\n{% endif %}{% if error_message %}Error: {{ error_message }}\n{% endif %}',
    'Data:',
    '{{ data | json }}',
    '',
  ].join('\n'),
);

/**
 * Sends mail through SMTP with a pooled transport; 4xx and connection errors are retried, 5xx are not.
 * `timeout` bounds connecting and the greeting; `dataTimeout` bounds each wait for an answer (the final
 * one after the message included), and one send as a whole takes at most their sum.
 */
export class EmailSink extends Sink<EmailMessage> {
  readonly type = 'email';
  private transporter?: Transporter;
  private readonly connectMs: number;
  private readonly dataMs: number;
  private readonly requireTLS: boolean;

  constructor(name: string, templates: TemplateSet, private readonly config: EmailSinkConfig) {
    super(name, templates);
    this.connectMs = parseDuration(config.timeout)!;
    this.dataMs = parseDuration(config.dataTimeout)!;
    const tls = config.tls ?? {};
    this.requireTLS = tls.requireTLS ?? (smtpHasCredentials(config.smtp) && !tls.allowInsecureAuth);
  }

  override get maxSendMs(): number {
    return this.connectMs + this.dataMs;
  }

  render(event: SinkEvent, overrides?: TemplateSet): EmailMessage {
    const context = templateContextOf(event);
    const html = this.rendering(() => this.template('html', overrides)?.render(context, escapeHtml));
    const subject = this.rendering(() => (this.template('subject', overrides) ?? DEFAULT_SUBJECT).render(context).replace(/[\r\n]+/g, ' '));
    const text = this.rendering(() => (this.template('text', overrides) ?? DEFAULT_TEXT).render(context));
    return {
      ...this.addressing(),
      subject,
      text,
      ...(html !== undefined ? { html } : {}),
      messageId: messageId(this.name, this.config.from, event),
      headers: {
        'X-Jogg-Event': event.envelope.event,
        ...(event.envelope.event_id ? { 'X-Jogg-Event-Id': event.envelope.event_id } : {}),
      },
    };
  }

  /** Sender and recipients, the same for every mail of this sink. */
  private addressing(): Pick<EmailMessage, 'from' | 'to' | 'cc' | 'bcc'> {
    return {
      from: this.config.from,
      to: this.config.to,
      ...(this.config.cc ? { cc: this.config.cc } : {}),
      ...(this.config.bcc ? { bcc: this.config.bcc } : {}),
    };
  }

  /** One mail for a group (alerting): `group_subject`, `group_text`, `group_html` (a table by default). */
  override renderGroup(group: GroupInput, overrides?: TemplateSet): EmailMessage {
    const context = groupTemplateContext(group);
    const subject = this.rendering(() => (this.template('group_subject', overrides) ?? DEFAULT_GROUP_SUBJECT).render(context).replace(/[\r\n]+/g, ' '));
    const text = this.rendering(() => (this.template('group_text', overrides) ?? DEFAULT_GROUP_TEXT).render(context));
    const html = this.rendering(() => (this.template('group_html', overrides) ?? DEFAULT_GROUP_HTML).render(context, escapeHtml));
    return {
      ...this.addressing(),
      subject,
      text,
      html,
      messageId: groupMessageId(this.name, this.config.from, group.id, group.deliveryId),
      headers: { 'X-Jogg-Group': String(group.id), 'X-Jogg-Group-Count': String(group.count) },
    };
  }

  /**
   * One send within maxSendMs. The inactivity timeouts alone do not bound it (a server may answer each
   * command just in time); past the bound the pool is closed, which ends the exchange, so a send never
   * outlives the lease of its delivery.
   */
  async send(message: EmailMessage): Promise<void> {
    await this.bounded(() => this.transport().sendMail(message), this.maxSendMs, () => void this.close());
  }

  /**
   * SMTP verify (on a connection of its own): connect, greet, start TLS when required and authenticate.
   * A healthy server answers those at once, so the check waits twice the connect timeout, not dataTimeout.
   */
  override async check(): Promise<void> {
    await this.bounded(() => this.transport().verify(), 2 * this.connectMs);
  }

  override async close(): Promise<void> {
    this.transporter?.close();
    this.transporter = undefined;
  }

  /** Runs one SMTP exchange; past `limitMs` it fails as transient (after `onTimeout`), and its errors are classified. */
  private async bounded(exchange: () => Promise<unknown>, limitMs: number, onTimeout?: () => void): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        onTimeout?.();
        reject(new TransientSinkError(`ETIMEDOUT: no complete SMTP exchange within ${limitMs} ms`));
      }, limitMs);
    });
    try {
      await Promise.race([exchange(), limit]);
    } catch (error) {
      throw error instanceof TransientSinkError ? error : classify(error, this.requireTLS);
    } finally {
      clearTimeout(timer);
    }
  }

  private transport(): Transporter {
    const { rejectUnauthorized, servername } = this.config.tls ?? {};
    const tls = { ...(rejectUnauthorized !== undefined ? { rejectUnauthorized } : {}), ...(servername ? { servername } : {}) };
    this.transporter ??= createTransport({
      url: this.config.smtp,
      pool: true,
      maxConnections: this.config.concurrency,
      connectionTimeout: this.connectMs,
      greetingTimeout: this.connectMs,
      socketTimeout: this.dataMs,
      requireTLS: this.requireTLS,
      ...(Object.keys(tls).length ? { tls } : {}),
    });
    return this.transporter;
  }
}

/**
 * `<jogg.<delivery id>.<hash>@<from domain>>`: the delivery id makes it stable across attempts; the hash
 * of the sink name and the body as JoggAI sent it keeps it unique across bridges and fresh databases
 * (whose delivery ids start again at 1).
 */
export function messageId(sinkName: string, from: string, event: SinkEvent): string {
  const hash = createHash('sha256').update(`${sinkName}\n${event.body}`).digest('hex').slice(0, 16);
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'jogg-bridge.invalid';
  return `<jogg.${event.deliveryId}.${hash}@${domain}>`;
}

function classify(error: unknown, requireTLS: boolean): Error {
  const e = error as Error & { responseCode?: number; code?: string; response?: string };
  if (e.code === 'ETLS' && requireTLS) {
    const said = e.response ? ` (server said: ${cutText(e.response, 120)})` : `: ${redactUrl(e.message)}`;
    return new PermanentSinkError(`ETLS: TLS is required (tls.requireTLS; credentials are never sent in clear) and the connection could not be encrypted${said}; set tls.allowInsecureAuth: true to allow a server without TLS`);
  }
  const detail = e.responseCode ? `SMTP ${e.responseCode}: ${cutText(e.response ?? e.message, 200)}` : `${e.code ?? 'error'}: ${redactUrl(e.message)}`;
  if (e.responseCode) return e.responseCode >= 500 ? new PermanentSinkError(detail) : new TransientSinkError(detail);
  if (e.code === 'EAUTH') return new PermanentSinkError(detail);
  return new TransientSinkError(detail);
}

/** Error texts must never carry the credentials of an smtp:// URL. */
function redactUrl(text: string): string {
  return text.replace(/(smtps?:\/\/)[^@\s]*@/g, '$1***@');
}
