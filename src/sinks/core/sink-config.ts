import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, Min, ValidateNested } from '../../common/class-validator';
import { IsDuration, IsMapping } from '../../common/validators';
import { DigestConfig, GroupConfig } from '../../common/group-config';

/*
 * What the settings of every sink share (BaseSinkConfig: concurrency, rate limit, retry override, ordering,
 * readiness) and the retry policy's shape, which the global `retry:` section uses too.
 */

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
  @ValidateNested() @IsMapping() @Type(() => BackoffConfig) backoff: BackoffConfig = new BackoffConfig();
}

/** The same shape with every field optional, to override the global policy for one sink. */
export class RetryOverride {
  @IsOptional() @IsInt() @Min(1) @Max(1000) attempts?: number;
  @IsOptional() @IsDuration() maxAge?: string | number;
  @IsOptional() @ValidateNested() @IsMapping() @Type(() => BackoffConfig) backoff?: BackoffConfig;
}

export class RateLimitConfig {
  /** Messages per second, sustained. */
  @IsNumber() @Min(0.001) perSecond = 1;
  /** Messages that may go at once after a quiet spell. */
  @IsInt() @Min(1) burst = 1;
}

export abstract class BaseSinkConfig {
  /** Which sink: the table of sink definitions (src/sinks/definitions.ts) checks it before this class is used. */
  @IsString() type!: string;
  /** Deliveries sent to this sink at the same time. Defaults to delivery.concurrency. */
  @IsOptional() @IsInt() @Min(1) @Max(1000) concurrency?: number;
  @IsOptional() @ValidateNested() @IsMapping() @Type(() => RateLimitConfig) rateLimit?: RateLimitConfig;
  @IsOptional() @ValidateNested() @IsMapping() @Type(() => RetryOverride) retry?: RetryOverride;
  /**
   * key: deliveries with the same order key reach this sink in the order the events arrived, across retries,
   * outages and restarts (a delivery waits while an earlier one of its key waits); none: no order between them.
   * Default: key for kafka (the record key), none for the others.
   */
  @IsOptional() @IsIn(['key', 'none']) ordering?: 'key' | 'none';
  /** required: /readyz fails while this sink cannot be reached; optional: reported, not failing. */
  @IsIn(['required', 'optional']) readiness: 'required' | 'optional' = 'optional';
  /** Alerting: send this sink's deliveries as one message per group (sink types that can render groups: slack, email). */
  @IsOptional() @ValidateNested() @IsMapping() @Type(() => GroupConfig) group?: GroupConfig;
  /** Alerting: send one summary per period instead of a message per event (slack, email). */
  @IsOptional() @ValidateNested() @IsMapping() @Type(() => DigestConfig) digest?: DigestConfig;
}

/** A string template, or structured data whose string leaves are templates. */
export type HttpBody = string | Record<string, unknown> | unknown[];

/** "a@x, b@y" or ["a@x", "b@y,c@z"] → ["a@x", "b@y", "c@z"]: lists often come from one environment variable. */
export function splitList(value: unknown): unknown {
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items)) return value;
  return items.flatMap((item) => (typeof item === 'string' ? item.split(',').map((s) => s.trim()).filter(Boolean) : [item]));
}
