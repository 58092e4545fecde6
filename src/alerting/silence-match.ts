import { EVENT_FIELD, GROUP_FIELD } from '../common/group-config';
import { JoggEnvelope } from '../common/jogg-event';
import { Silence, SilenceMatcher } from '../store/ports/silences';
import { fieldValue } from './membership';

export class MatcherError extends Error {}

const MATCHER = /^([^=!~]+?)\s*(=~|!=|=)\s*(.*)$/s;

/** `event=generated_video_failed`, `data.error.code!=18020`, `sink=~ops-.*` (a regular expression, anchored). */
export function parseMatcher(text: string): SilenceMatcher {
  const found = MATCHER.exec(text.trim());
  if (!found) throw new MatcherError(`"${text}" is not a matcher: write field=value, field!=value or field=~regex`);
  const [, field, op, value] = found;
  if (!GROUP_FIELD.test(field)) throw new MatcherError(`"${field}" is not a field: use event, data.error.code, route, sink, …`);
  if (!knownField(field)) throw new MatcherError(`"${field}" is no field of an event or delivery (a silence on it would never hold, or, with !=, always): use ${FIELDS}`);
  if (op === '=~') {
    try {
      new RegExp(value);
    } catch (error) {
      throw new MatcherError(`"${value}" is not a regular expression: ${(error as Error).message}`);
    }
  }
  return { field, op: op as SilenceMatcher['op'], value };
}

const FIELDS = 'event, event_id, timestamp, data.… (data.error.code, data.video_id), route or sink';

/**
 * What a matcher can read: the event's fields as grouping reads them (`data` itself is not one: compared as the whole
 * object's JSON, `data!=x` would hold for every event), and the delivery's route and sink.
 */
function knownField(field: string): boolean {
  return EVENT_FIELD.test(field) || field === 'route' || field === 'sink';
}

export function formatMatcher(m: SilenceMatcher): string {
  return `${m.field}${m.op}${m.value}`;
}

/** What a silence is matched against: the event, and the route and sink of the delivery. */
export interface SilenceTarget {
  envelope: JoggEnvelope;
  route: string;
  sink: string;
}

function valueOf(target: SilenceTarget, field: string): string {
  if (field === 'route') return target.route;
  if (field === 'sink') return target.sink;
  return fieldValue(target.envelope, field);
}

/** Each `=~` matcher's expression, compiled once (silences are matched against every routed delivery at ingest). */
const compiled = new WeakMap<SilenceMatcher, RegExp>();

function holds(m: SilenceMatcher, target: SilenceTarget): boolean {
  const value = valueOf(target, m.field);
  if (m.op === '=') return value === m.value;
  if (m.op === '!=') return value !== m.value;
  let pattern = compiled.get(m);
  if (!pattern) compiled.set(m, (pattern = new RegExp(`^(?:${m.value})$`)));
  return pattern.test(value);
}

/** The first silence active at `now` whose every matcher holds for the delivery, if any. */
export function silenceFor(silences: readonly Silence[], target: SilenceTarget, now: number): Silence | undefined {
  return silences.find((s) => s.startsAt <= now && now < s.endsAt && s.matchers.every((m) => holds(m, target)));
}
