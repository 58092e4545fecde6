import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsString, Matches, Max, Min, ValidateBy } from './class-validator';
import { ActiveTimeError, checkZone, parseClock, parseTimes, parseWeekdays } from './active-time';
import { IsDuration } from './validators';

/** A dotted field path: `event`, `data.error.code`. */
export const GROUP_FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
/** A field of the envelope to group by: `event`, `event_id`, `timestamp`, or one under `data` (`data.error.code`). */
export const EVENT_FIELD = /^(event|event_id|timestamp|data(\.[A-Za-z0-9_]+)+)$/;

/** Names the entries of `by` that are no field of the event. */
function notEventFields(args: { value: unknown }): string {
  const bad = (Array.isArray(args.value) ? args.value : [args.value]).filter((v) => typeof v !== 'string' || !EVENT_FIELD.test(v));
  return `${bad.map((v) => JSON.stringify(v)).join(', ')} ${bad.length === 1 ? 'is not a field' : 'are not fields'} of the event: by lists event, event_id, timestamp or data.… (such as data.error.code)`;
}

/**
 * Alerting: events of a route (or sink) with the same values of `by` are sent as ONE message per group. The first
 * event after a quiet period waits `wait` for others; later ones go into the next message at most every `interval`.
 * Shared by routes (config) and sinks (sinks/core), so it lives here.
 */
export class GroupConfig {
  @IsArray() @ArrayMinSize(1) @IsString({ each: true })
  @Matches(EVENT_FIELD, { each: true, message: notEventFields })
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
          // a value of the wrong shape (a string where a list belongs, a number in it): IsArray/IsString say so
          if (!(error instanceof ActiveTimeError)) return true;
          reason = error.message;
          return false;
        }
      },
      defaultMessage: () => reason, // the path names the setting already
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

/**
 * Alerting: the sink collects what is routed to it and sends one summary per period (counts per event type, the
 * failures listed) instead of a message per event. A period without events sends nothing.
 */
export class DigestConfig {
  @IsIn(['hour', 'day', 'week']) every: 'hour' | 'day' | 'week' = 'day';
  /** Local time of day it is sent (for `hour`: its minutes). */
  @IsString() @Parses('isClock', parseClock) at = '09:00';
  /** For `every: week`: the weekday. */
  @IsString() @Parses('isWeekday', (day: string) => {
    if (parseWeekdays([day]).size !== 1) throw new ActiveTimeError(`"${day}" is not one weekday`);
  }) on = 'mon';
  @IsString() @Parses('isTimeZone', checkZone) tz = 'UTC';
  /** Failures listed in the summary; the rest are counted. */
  @IsInt() @Min(1) @Max(50) max = 20;
  /** Send a digest for a period without events too ("0 events"); by default such a period sends nothing. */
  @IsBoolean() sendEmpty = false;
}
