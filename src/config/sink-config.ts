import { Type } from 'class-transformer';
import {
  IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Max, Min, MinLength, ValidateNested,
} from 'class-validator';
import { IsDuration, IsStringRecord } from './validators';

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
  /** Attempts in all, the first one included. */
  @IsInt() @Min(1) @Max(1000) attempts = 12;
  /** A delivery older than this is dead-lettered instead of retried. */
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

export const SINK_TYPES = ['http', 'file', 'console'] as const;
export type SinkType = (typeof SINK_TYPES)[number];

export abstract class BaseSinkConfig {
  @IsIn(SINK_TYPES as unknown as string[]) type!: SinkType;
  /** Deliveries sent to this sink at the same time. Defaults to delivery.concurrency. */
  @IsOptional() @IsInt() @Min(1) @Max(1000) concurrency?: number;
  @IsOptional() @ValidateNested() @Type(() => RateLimitConfig) rateLimit?: RateLimitConfig;
  @IsOptional() @ValidateNested() @Type(() => RetryOverride) retry?: RetryOverride;
}

export class SignConfig {
  /** Standard Webhooks secret: "whsec_" followed by base64. */
  @IsString() @MinLength(1) secret!: string;
}

export class HttpTemplates {
  /** Request body template; the event JSON as JoggAI sent it when absent. */
  @IsOptional() @IsString() body?: string;
}

export class HttpSinkConfig extends BaseSinkConfig {
  declare type: 'http';
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) url!: string;
  @IsIn(['POST', 'PUT', 'PATCH']) method: 'POST' | 'PUT' | 'PATCH' = 'POST';
  @IsStringRecord() headers: Record<string, string> = {};
  @IsDuration() timeout: string | number = '10s';
  @IsOptional() @IsString() body?: string;
  @IsOptional() @ValidateNested() @Type(() => SignConfig) sign?: SignConfig;
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

export type SinkConfig = HttpSinkConfig | FileSinkConfig | ConsoleSinkConfig;

export const SINK_CONFIG_CLASSES: Record<SinkType, new () => BaseSinkConfig> = {
  http: HttpSinkConfig,
  file: FileSinkConfig,
  console: ConsoleSinkConfig,
};

/** Which fields of each sink type are templates (compiled at load, overridable per route). */
export const TEMPLATE_FIELDS: Record<SinkType, readonly string[]> = {
  http: ['body'],
  file: ['format'],
  console: ['format'],
};

export const ROUTE_TEMPLATE_CLASSES: Record<SinkType, new () => object> = {
  http: HttpTemplates,
  file: FileTemplates,
  console: ConsoleTemplates,
};

