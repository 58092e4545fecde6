import { createTransport, Transporter } from 'nodemailer';
import { EmailSinkConfig } from '../config/sink-config';
import { parseDuration } from '../config/units';
import { templateContext } from '../rules/context';
import { TemplateSet } from '../rules/route';
import { compileTemplate, escapeHtml } from '../rules/template';
import { PermanentSinkError, Sink, SinkEvent, TransientSinkError } from './sink';

export interface EmailMessage {
  from: string;
  to: string[];
  cc?: string[];
  bcc?: string[];
  subject: string;
  text: string;
  html?: string;
  headers: Record<string, string>;
}

const DEFAULT_SUBJECT = compileTemplate('[jogg] {{ event }}{{#resource_id}} {{ resource_id }}{{/resource_id}}');
const DEFAULT_TEXT = compileTemplate(
  [
    'JoggAI event {{ event }}{{#event_id}} ({{ event_id }}){{/event_id}} at {{ time }}',
    '{{#resource_id}}Resource: {{ resource_id }}\n{{/resource_id}}{{#error_message}}Error: {{ error_message }}\n{{/error_message}}',
    'Data:',
    '{{ data | json }}',
    '',
  ].join('\n'),
);

/** Transient network-level failures of an SMTP connection (nodemailer error codes). */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'ECONNREFUSED', 'EPROTOCOL']);

/** Sends mail through SMTP with a pooled transport; 4xx and connection errors are retried, 5xx are not. */
export class EmailSink extends Sink<EmailMessage> {
  readonly type = 'email';
  private transporter?: Transporter;

  constructor(name: string, templates: TemplateSet, private readonly config: EmailSinkConfig) {
    super(name, templates);
  }

  render(event: SinkEvent, overrides?: TemplateSet): EmailMessage {
    const context = templateContext(event);
    const html = this.template('html', overrides)?.render(context, escapeHtml);
    return {
      from: this.config.from,
      to: this.config.to,
      ...(this.config.cc ? { cc: this.config.cc } : {}),
      ...(this.config.bcc ? { bcc: this.config.bcc } : {}),
      subject: (this.template('subject', overrides) ?? DEFAULT_SUBJECT).render(context).replace(/[\r\n]+/g, ' '),
      text: (this.template('text', overrides) ?? DEFAULT_TEXT).render(context),
      ...(html !== undefined ? { html } : {}),
      headers: {
        'X-Jogg-Event': event.envelope.event,
        ...(event.envelope.event_id ? { 'X-Jogg-Event-Id': event.envelope.event_id } : {}),
      },
    };
  }

  async send(message: EmailMessage): Promise<void> {
    try {
      await this.transport().sendMail(message);
    } catch (error) {
      throw classify(error);
    }
  }

  /** SMTP verify: connect, greet and authenticate. */
  override async check(): Promise<void> {
    try {
      await this.transport().verify();
    } catch (error) {
      throw classify(error);
    }
  }

  override async close(): Promise<void> {
    this.transporter?.close();
    this.transporter = undefined;
  }

  private transport(): Transporter {
    const timeout = parseDuration(this.config.timeout)!;
    this.transporter ??= createTransport({
      url: this.config.smtp,
      pool: true,
      maxConnections: this.config.concurrency,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      ...(this.config.tls ? { tls: { ...this.config.tls } } : {}),
    });
    return this.transporter;
  }
}

function classify(error: unknown): Error {
  const e = error as Error & { responseCode?: number; code?: string; response?: string };
  const detail = e.responseCode ? `SMTP ${e.responseCode}: ${(e.response ?? e.message).slice(0, 200)}` : `${e.code ?? 'error'}: ${redactUrl(e.message)}`;
  if (e.responseCode) return e.responseCode >= 500 ? new PermanentSinkError(detail) : new TransientSinkError(detail);
  if (e.code === 'EAUTH') return new PermanentSinkError(detail);
  if (!e.code || TRANSIENT_CODES.has(e.code)) return new TransientSinkError(detail);
  return new TransientSinkError(detail);
}

/** Error texts must never carry the credentials of an smtp:// URL. */
function redactUrl(text: string): string {
  return text.replace(/(smtps?:\/\/)[^@\s]*@/g, '$1***@');
}
