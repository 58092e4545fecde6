import { ArrayMinSize, IsArray, IsInt, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';
import { ActiveTimeError, checkZone, parseTimes, parseWeekdays } from './active-time';
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

/** A rule from a parser that throws ActiveTimeError with the reason. */
function Parses(name: string, parse: (value: never) => unknown): PropertyDecorator {
  let reason = '';
  return ValidateBy({
    name,
    validator: {
      validate: (value) => {
        try {
          parse(value as never);
          return true;
        } catch (error) {
          if (!(error instanceof ActiveTimeError)) throw error;
          reason = error.message;
          return false;
        }
      },
      defaultMessage: (args) => `${args?.property}: ${reason}`,
    },
  });
}

/**
 * Alerting: when a route's alerts may go out. Outside these times its events are held and sent as one group message
 * when the interval opens.
 */
export class ActiveTimeConfig {
  @IsArray() @ArrayMinSize(1) @IsString({ each: true }) @Parses('isWeekdays', parseWeekdays)
  weekdays: string[] = ['mon-sun'];
  @IsArray() @ArrayMinSize(1) @IsString({ each: true }) @Parses('isTimes', parseTimes)
  times: string[] = ['00:00-24:00'];
  @IsString() @Parses('isTimeZone', checkZone)
  tz = 'UTC';
}
