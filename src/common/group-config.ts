import { ArrayMinSize, IsArray, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { IsDuration } from './validators';

/** A field of the event to group by: `event`, `data.error.code`, `endpoint`. */
export const GROUP_FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;

/**
 * Alerting: events of a route (or sink) with the same values of `by` are sent as ONE message per group. The first
 * event after a quiet period waits `wait` for others; later ones go into the next message at most every `interval`.
 * Shared by routes (config) and sinks (sinks/core), so it lives here.
 */
export class GroupConfig {
  @IsArray() @ArrayMinSize(1) @IsString({ each: true })
  @Matches(GROUP_FIELD, { each: true, message: 'by must list event fields such as "event" or "data.error.code"' })
  by: string[] = ['event'];
  @IsDuration() wait: string | number = '30s';
  @IsDuration() interval: string | number = '5m';
  /** Members listed in the message; the rest are counted ("+N more"). */
  @IsInt() @Min(1) @Max(50) max = 20;
}
