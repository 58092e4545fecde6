import { Transform, Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from '../common/class-validator';
import { DELIVERY_STATUSES, DeliveryStatus } from '../store/store.types';

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
  @IsOptional() @IsArray() @ArrayMinSize(1, { message: 'ids must list at least one delivery id' }) @IsInt({ each: true }) @Min(1, { each: true }) ids?: number[];

  @IsOptional() @IsBoolean() dead?: boolean;

  @IsOptional() @IsString() sink?: string;

  @IsOptional() @IsString() @Transform(({ value }) => value) since?: string;
}

/** Events found by name or glob, time range, delivery state, resource id and text (the console's events page). */
export class EventSearchQuery {
  @IsOptional() @IsString() event?: string;

  @IsOptional() @IsString() from?: string;

  @IsOptional() @IsString() to?: string;

  @IsOptional() @IsIn(DELIVERY_STATUSES as unknown as string[]) status?: DeliveryStatus;

  @IsOptional() @IsString() resource?: string;

  @IsOptional() @IsString() q?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) before?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 50;
}

/** Alerting: a new silence (`matchers` as the CLI's --match: `event=generated_video_failed`). */
export class SilenceBody {
  @IsArray() @ArrayMinSize(1, { message: 'a silence needs at least one matcher (event=generated_video_failed)' }) @IsString({ each: true }) @MaxLength(500, { each: true }) matchers!: string[];

  @IsOptional() @IsString() for?: string;

  @IsOptional() @IsString() until?: string;

  /** Required, but refused by newSilence() with its reason (a missing one got only "must be a string" here). */
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;

  @IsOptional() @IsString() @MaxLength(200) createdBy?: string;
}

export class SilencesQuery {
  @IsOptional() @IsIn(['true', 'false']) all?: string;
}
