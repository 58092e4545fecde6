import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DELIVERY_STATUSES, DeliveryStatus } from '../store/event-store';

export class PageQuery {
  @ApiPropertyOptional({ description: 'a duration back from now (30m, 1h, 7d) or a date' })
  @IsOptional() @IsString() since?: string;

  @ApiPropertyOptional({ description: 'only ids below this one: the last id of the previous page' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) before?: number;

  @ApiPropertyOptional({ default: 50, maximum: 1000 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 50;
}

export class EventsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'only this event name' })
  @IsOptional() @IsString() event?: string;
}

export class DeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional() @IsIn(DELIVERY_STATUSES as unknown as string[]) status?: DeliveryStatus;

  @ApiPropertyOptional() @IsOptional() @IsString() sink?: string;
}

export class ReplayRequest {
  @ApiPropertyOptional({ type: [Number], description: 'delivery ids (dead or delivered)' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @IsInt({ each: true }) ids?: number[];

  @ApiPropertyOptional({ description: 'every dead letter (narrow with sink and since)' })
  @IsOptional() @IsBoolean() dead?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsString() sink?: string;

  @ApiPropertyOptional({ description: 'with dead: only dead-lettered since then (30m, 1h, or a date)' })
  @IsOptional() @IsString() @Transform(({ value }) => value) since?: string;
}
