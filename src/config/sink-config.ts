import { Transform, Type } from 'class-transformer';
import {
  ArrayMinSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, Min,
  MinLength, ValidateBy, ValidateNested,
} from 'class-validator';
import { IsBodyTemplate, IsBooleanOrObject, IsDuration, IsStringRecord } from './validators';

export class BackoffConfig {
  /** First retry delay (the cap of the first jittered wait). */
  @IsDuration() initial: string | number = '1s';
  /** Largest wait between two attempts. */
  @IsDuration() max: string | number = '1h';
  @IsNumber() @Min(1) @Max(10) factor = 2;
  /** Full jitter: wait a random time between 0 and the exponential cap. */
  @IsBoolean() jitter = true;
}

export class RetryConfig {
  /**
   * Attempts in all, the first one included, made while the sink was up: a backstop, as the default policy is
   * time-based (maxAge); attempts that failed while the sink's circuit was open do not count.
   */
  @IsInt() @Min(1) @Max(1000) attempts = 100;
  /** A delivery older than this is dead-lettered instead of retried; time its sink was down (circuit open) does not count. */
  @IsDuration() maxAge: string | number = '24h';
  @ValidateNested() @Type(() => BackoffConfig) backoff: BackoffConfig = new BackoffConfig();
}

/** The same shape with every field optional, to override the global policy for one sink. */
export class RetryOverride {
  @IsOptional() @IsInt() @Min(1) @Max(1000) attempts?: number;
  @IsOptional() @IsDuration() maxAge?: string | number;
  @IsOptional() @ValidateNested() @Type(() => BackoffConfig) backoff?: BackoffConfig;
}

export class RateLimitConfig {
  /** Messages per second, sustained. */
  @IsNumber() @Min(0.001) perSecond = 1;
  /** Messages that may go at once after a quiet spell. */
  @IsInt() @Min(1) burst = 1;
}

export const SINK_TYPES = ['http', 'file', 'console', 'kafka', 'slack', 'email'] as const;
export type SinkType = (typeof SINK_TYPES)[number];

export abstract class BaseSinkConfig {
  @IsIn(SINK_TYPES as unknown as string[]) type!: SinkType;
  /** Deliveries sent to this sink at the same time. Defaults to delivery.concurrency. */
  @IsOptional() @IsInt() @Min(1) @Max(1000) concurrency?: number;
  @IsOptional() @ValidateNested() @Type(() => RateLimitConfig) rateLimit?: RateLimitConfig;
  @IsOptional() @ValidateNested() @Type(() => RetryOverride) retry?: RetryOverride;
  /**
   * key: deliveries with the same order key reach this sink in the order the events arrived, across retries,
   * outages and restarts (a delivery waits while an earlier one of its key waits); none: no order between them.
   * Default: key for kafka (the record key), none for the others.
   */
  @IsOptional() @IsIn(['key', 'none']) ordering?: 'key' | 'none';
  /** required: /readyz fails while this sink cannot be reached; optional: reported, not failing. */
  @IsIn(['required', 'optional']) readiness: 'required' | 'optional' = 'optional';
}

export class SignConfig {
  /** Standard Webhooks secret: "whsec_" followed by base64. */
  @IsString() @MinLength(1) secret!: string;
}

/** A string template, or structured data whose string leaves are templates. */
export type HttpBody = string | Record<string, unknown> | unknown[];

export class HttpTemplates {
  /** Request body: a mapping/list whose strings are templates (sent as JSON), or a string template; the event JSON as JoggAI sent it when absent. */
  @IsOptional() @IsBodyTemplate() body?: HttpBody;
}

export class HttpSinkConfig extends BaseSinkConfig {
  declare type: 'http';
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) url!: string;
  @IsIn(['POST', 'PUT', 'PATCH']) method: 'POST' | 'PUT' | 'PATCH' = 'POST';
  @IsStringRecord() headers: Record<string, string> = {};
  @IsDuration() timeout: string | number = '10s';
  /** A mapping/list whose strings are templates, sent as JSON (payload text cannot add keys), or a string template. */
  @IsOptional() @IsBodyTemplate() body?: HttpBody;
  @IsOptional() @ValidateNested() @Type(() => SignConfig) sign?: SignConfig;
  /** With ordering: key, the order key (a template); default: the resource id (video_id, ...), else the event id. */
  @IsOptional() @IsString() @MinLength(1) orderKey?: string;
}

export class FileTemplates {
  /** One line per event; the event JSON (with bridge metadata) when absent. */
  @IsOptional() @IsString() format?: string;
}

export class FileSinkConfig extends BaseSinkConfig {
  declare type: 'file';
  @IsString() @MinLength(1) path!: string;
  @IsOptional() @IsString() format?: string;
}

export class ConsoleTemplates {
  @IsOptional() @IsString() format?: string;
}

export class ConsoleSinkConfig extends BaseSinkConfig {
  declare type: 'console';
  @IsOptional() @IsString() format?: string;
}

export class KafkaSaslConfig {
  @IsIn(['plain', 'scram-sha-256', 'scram-sha-512']) mechanism!: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  @IsString() username!: string;
  @IsString() password!: string;
}

export class KafkaTemplates {
  @IsOptional() @IsString() topic?: string;
  @IsOptional() @IsString() key?: string;
  @IsOptional() @IsBodyTemplate() value?: HttpBody;
}

export class KafkaSinkConfig extends BaseSinkConfig {
  declare type: 'kafka';
  /** host:port of one or more brokers. */
  @Transform(({ value }) => splitList(value))
  @IsArray() @ArrayMinSize(1) @IsString({ each: true }) brokers!: string[];
  @IsString() clientId = 'jogg-bridge';
  /** Topic name, or a template (e.g. "jogg.{{ event }}"). */
  @IsString() @MinLength(1) topic!: string;
  /** Message key template; default: the resource id (video_id, project_id, ...) else the event id. */
  @IsOptional() @IsString() key?: string;
  /** Message value: a mapping/list whose strings are templates (sent as JSON), or a string template; default: the event JSON as JoggAI sent it. */
  @IsOptional() @IsBodyTemplate() value?: HttpBody;
  /** Extra headers (templates), added to jogg-event, jogg-event-id and content-type. */
  @IsStringRecord() headers: Record<string, string> = {};
  @IsIn(['none', 'gzip']) compression: 'none' | 'gzip' = 'none';
  /** TLS to the brokers: true, or options passed to Node's tls.connect (e.g. { rejectUnauthorized: true }). */
  @IsOptional() @IsBooleanOrObject() ssl?: boolean | Record<string, unknown>;
  @IsOptional() @ValidateNested() @Type(() => KafkaSaslConfig) sasl?: KafkaSaslConfig;
  @IsDuration() timeout: string | number = '10s';
  /** Deliveries in flight; those due together are sent as one produce request. */
  @IsInt() @Min(1) @Max(10000) override concurrency = 500;
  /** Records with one key are produced in the order the events arrived, also across retries and outages. */
  @IsIn(['key', 'none']) override ordering: 'key' | 'none' = 'key';
}

export class SlackTemplates {
  @IsOptional() @IsString() text?: string;
  /** Block Kit blocks; every string in them is a template. */
  @IsOptional() @IsArray() blocks?: unknown[];
}

export class SlackSinkConfig extends BaseSinkConfig {
  declare type: 'slack';
  /** The incoming webhook URL (keep it in the environment: it is a secret). */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) url!: string;
  @IsOptional() @IsString() text?: string;
  @IsOptional() @IsArray() blocks?: unknown[];
  @IsOptional() @IsString() username?: string;
  @IsOptional() @Matches(/^:[a-z0-9_+-]+:$/, { message: 'icon_emoji must look like :robot_face:' }) icon_emoji?: string;
  @IsDuration() timeout: string | number = '10s';
  /** Slack accepts one message per second per webhook; the default stays just under it so network jitter never trips it. */
  @ValidateNested() @Type(() => RateLimitConfig) override rateLimit: RateLimitConfig = Object.assign(new RateLimitConfig(), { perSecond: 0.95, burst: 1 });
  @IsInt() @Min(1) @Max(1000) override concurrency = 1;
}

export class EmailTemplates {
  @IsOptional() @IsString() subject?: string;
  @IsOptional() @IsString() text?: string;
  @IsOptional() @IsString() html?: string;
}

export class EmailTlsConfig {
  /**
   * Refuse to go on unless the connection is encrypted (STARTTLS on smtp://). Default: true when the URL
   * carries credentials (they are never sent in clear), false otherwise.
   */
  @IsOptional() @IsBoolean() requireTLS?: boolean;
  /** Allow credentials over an unencrypted connection (a server without STARTTLS). Default false. */
  @IsOptional() @IsBoolean() allowInsecureAuth?: boolean;
  @IsOptional() @IsBoolean() rejectUnauthorized?: boolean;
  @IsOptional() @IsString() servername?: string;
}

/** True when an smtp:// or smtps:// URL carries a user name (and so credentials to protect). */
export function smtpHasCredentials(url: string): boolean {
  try {
    return new URL(url).username !== '';
  } catch {
    return false;
  }
}

/** requireTLS: false next to credentials would send them in clear; that must be said with allowInsecureAuth. */
function IsConsistentEmailTls(): PropertyDecorator {
  return ValidateBy({
    name: 'isConsistentEmailTls',
    validator: {
      validate: (tls: EmailTlsConfig | undefined, args) =>
        !(tls?.requireTLS === false && !tls.allowInsecureAuth && smtpHasCredentials((args?.object as EmailSinkConfig).smtp ?? '')),
      defaultMessage: () => 'tls.requireTLS: false would send the SMTP credentials in clear: set tls.allowInsecureAuth: true to allow that',
    },
  });
}

export class EmailSinkConfig extends BaseSinkConfig {
  declare type: 'email';
  /** smtp://user:pass@host:587 or smtps://user:pass@host:465 (keep it in the environment). */
  @Matches(/^smtps?:\/\/[^\s?#]+$/, { message: 'smtp must be an smtp:// or smtps:// URL without ?options (TLS settings go under tls:)' }) smtp!: string;
  @IsString() @MinLength(3) from!: string;
  @Transform(({ value }) => splitList(value))
  @IsArray() @ArrayMinSize(1) @IsEmail({}, { each: true }) to!: string[];
  @Transform(({ value }) => splitList(value))
  @IsOptional() @IsArray() @IsEmail({}, { each: true }) cc?: string[];
  @Transform(({ value }) => splitList(value))
  @IsOptional() @IsArray() @IsEmail({}, { each: true }) bcc?: string[];
  @IsOptional() @IsString() subject?: string;
  @IsOptional() @IsString() text?: string;
  /** HTML body template; payload values are HTML-escaped. */
  @IsOptional() @IsString() html?: string;
  @IsOptional() @ValidateNested() @IsConsistentEmailTls() @Type(() => EmailTlsConfig) tls?: EmailTlsConfig;
  /** Connecting and the server's greeting (220). */
  @IsDuration() timeout: string | number = '30s';
  /**
   * Longest silence of the server once connected, the answer to the end of the message (".") included:
   * RFC 5321 §4.5.3.2 asks clients to wait 10 minutes for it, as a slow server may already hold the mail.
   */
  @IsDuration() dataTimeout: string | number = '10m';
  @IsInt() @Min(1) @Max(100) override concurrency = 4;
}

export type SinkConfig = HttpSinkConfig | FileSinkConfig | ConsoleSinkConfig | KafkaSinkConfig | SlackSinkConfig | EmailSinkConfig;

export const SINK_CONFIG_CLASSES: Record<SinkType, new () => BaseSinkConfig> = {
  http: HttpSinkConfig,
  file: FileSinkConfig,
  console: ConsoleSinkConfig,
  kafka: KafkaSinkConfig,
  slack: SlackSinkConfig,
  email: EmailSinkConfig,
};

/** Which fields of each sink type are templates (compiled at load, overridable per route). */
export const TEMPLATE_FIELDS: Record<SinkType, readonly string[]> = {
  http: ['body', 'orderKey'],
  file: ['format'],
  console: ['format'],
  kafka: ['topic', 'key', 'value', 'headers'],
  slack: ['text', 'blocks'],
  email: ['subject', 'text', 'html'],
};

/** Structured template fields whose leaves keep the value's JSON type when they are exactly one tag (see compileStructured). */
export const TYPED_LEAF_FIELDS: Partial<Record<SinkType, readonly string[]>> = { http: ['body'], kafka: ['value'] };

/** "a@x, b@y" or ["a@x", "b@y,c@z"] → ["a@x", "b@y", "c@z"]: lists often come from one environment variable. */
function splitList(value: unknown): unknown {
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items)) return value;
  return items.flatMap((item) => (typeof item === 'string' ? item.split(',').map((s) => s.trim()).filter(Boolean) : [item]));
}
