import { Transform, Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength, ValidateNested } from '../../common/class-validator';
import { IsBodyTemplate, IsBooleanOrObject, IsDuration, IsMapping, IsStringRecord } from '../../common/validators';
import { BaseSinkConfig, HttpBody, splitList } from '../core/sink-config';

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
  @IsOptional() @ValidateNested() @IsMapping() @Type(() => KafkaSaslConfig) sasl?: KafkaSaslConfig;
  @IsDuration() timeout: string | number = '10s';
  /** Deliveries in flight; those due together are sent as one produce request. */
  @IsInt() @Min(1) @Max(10000) override concurrency = 500;
  /** Records with one key are produced in the order the events arrived, also across retries and outages. */
  @IsIn(['key', 'none']) override ordering: 'key' | 'none' = 'key';
}
