import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUrl, MinLength, ValidateNested } from '../../common/class-validator';
import { IsBodyTemplate, IsDuration, IsMapping, IsStringRecord } from '../../common/validators';
import { BaseSinkConfig, HttpBody } from '../core/sink-config';

export class SignConfig {
  /** Standard Webhooks secret: "whsec_" followed by base64. */
  @IsString() @MinLength(1) secret!: string;
}

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
  @IsOptional() @ValidateNested() @IsMapping() @Type(() => SignConfig) sign?: SignConfig;
  /** With ordering: key, the order key (a template); default: the resource id (video_id, ...), else the event id. */
  @IsOptional() @IsString() @MinLength(1) orderKey?: string;
}
