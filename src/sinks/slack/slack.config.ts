import { Type } from 'class-transformer';
import { IsArray, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, ValidateNested } from '../../common/class-validator';
import { IsDuration, IsMapping } from '../../common/validators';
import { BaseSinkConfig, RateLimitConfig } from '../core/sink-config';

export class SlackTemplates {
  @IsOptional() @IsString() text?: string;
  /** Block Kit blocks; every string in them is a template. */
  @IsOptional() @IsArray() blocks?: unknown[];
  /** Alerting: the text of a group message (see README, Alert grouping). */
  @IsOptional() @IsString() group_text?: string;
  /** Alerting: the blocks of a group message. */
  @IsOptional() @IsArray() group_blocks?: unknown[];
}

export class SlackSinkConfig extends BaseSinkConfig {
  declare type: 'slack';
  /** The incoming webhook URL (keep it in the environment: it is a secret). */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) url!: string;
  @IsOptional() @IsString() text?: string;
  @IsOptional() @IsArray() blocks?: unknown[];
  @IsOptional() @IsString() group_text?: string;
  @IsOptional() @IsArray() group_blocks?: unknown[];
  @IsOptional() @IsString() username?: string;
  @IsOptional() @Matches(/^:[a-z0-9_+-]+:$/, { message: 'icon_emoji must look like :robot_face:' }) icon_emoji?: string;
  @IsDuration() timeout: string | number = '10s';
  /** Slack accepts one message per second per webhook; the default stays just under it so network jitter never trips it. */
  @ValidateNested() @IsMapping() @Type(() => RateLimitConfig) override rateLimit: RateLimitConfig = Object.assign(new RateLimitConfig(), { perSecond: 0.95, burst: 1 });
  @IsInt() @Min(1) @Max(1000) override concurrency = 1;
}
