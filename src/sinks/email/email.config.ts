import { Transform, Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsEmail, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateBy, ValidateNested } from '../../common/class-validator';
import { IsDuration, IsMapping } from '../../common/validators';
import { BaseSinkConfig, splitList } from '../core/sink-config';

export class EmailTemplates {
  @IsOptional() @IsString() subject?: string;
  @IsOptional() @IsString() text?: string;
  @IsOptional() @IsString() html?: string;
  /** Alerting: the templates of a group mail (see README, Alert grouping). */
  @IsOptional() @IsString() group_subject?: string;
  @IsOptional() @IsString() group_text?: string;
  @IsOptional() @IsString() group_html?: string;
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
  @IsOptional() @IsString() group_subject?: string;
  @IsOptional() @IsString() group_text?: string;
  /** HTML body of a group mail; payload values are HTML-escaped. */
  @IsOptional() @IsString() group_html?: string;
  @IsOptional() @ValidateNested() @IsMapping() @IsConsistentEmailTls() @Type(() => EmailTlsConfig) tls?: EmailTlsConfig;
  /** Connecting and the server's greeting (220). */
  @IsDuration() timeout: string | number = '30s';
  /**
   * Longest silence of the server once connected, the answer to the end of the message (".") included:
   * RFC 5321 §4.5.3.2 asks clients to wait 10 minutes for it, as a slow server may already hold the mail.
   */
  @IsDuration() dataTimeout: string | number = '10m';
  @IsInt() @Min(1) @Max(100) override concurrency = 4;
}
