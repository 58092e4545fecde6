import { Transform, Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DELIVERY_STATUSES, DeliveryStatus } from '../store/event-store';

export class PageQuery {
  @IsOptional() @IsString() since?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) before?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 50;
}

export class EventsQuery extends PageQuery {
  @IsOptional() @IsString() event?: string;
}

export class DeliveriesQuery extends PageQuery {
  @IsOptional() @IsIn(DELIVERY_STATUSES as unknown as string[]) status?: DeliveryStatus;

  @IsOptional() @IsString() sink?: string;
}

export class ReplayRequest {
  @IsOptional() @IsArray() @ArrayMinSize(1) @IsInt({ each: true }) @Min(1, { each: true }) ids?: number[];

  @IsOptional() @IsBoolean() dead?: boolean;

  @IsOptional() @IsString() sink?: string;

  @IsOptional() @IsString() @Transform(({ value }) => value) since?: string;
}

/** Alerting: a new silence (`matchers` as the CLI's --match: `event=generated_video_failed`). */
export class SilenceBody {
  @IsArray() @ArrayMinSize(1) @IsString({ each: true }) @MaxLength(500, { each: true }) matchers!: string[];

  @IsOptional() @IsString() for?: string;

  @IsOptional() @IsString() until?: string;

  @IsString() @MaxLength(2000) comment!: string;

  @IsOptional() @IsString() @MaxLength(200) createdBy?: string;
}

export class SilencesQuery {
  @IsOptional() @IsIn(['true', 'false']) all?: string;
}
