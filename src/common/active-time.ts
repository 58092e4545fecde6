/**
 * Time intervals (alerting): a route's `active_time` says when its alerts may go out; outside it they are held and
 * sent, grouped, when it opens. Pure functions over an IANA time zone, without a date library: local wall-clock
 * fields come from Intl, and a local time is turned into an instant by correcting for the zone's offset.
 */
export interface ActiveTime {
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekdays: ReadonlySet<number>;
  /** Minutes after local midnight, [start, end); end 1440 = midnight. */
  readonly times: readonly { start: number; end: number }[];
  readonly tz: string;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export class ActiveTimeError extends Error {}

/** `mon-fri`, `sat`, `sun-mon` (wrapping) → day numbers. Every entry that is none is named at once. */
export function parseWeekdays(items: readonly string[]): Set<number> {
  const days = new Set<number>();
  const bad: string[] = [];
  for (const item of items) {
    const parts = item.split('-').map(weekday);
    const [a, b = a] = parts;
    if (parts.length > 2 || parts.some((d) => d < 0)) {
      bad.push(item);
      continue;
    }
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  if (bad.length) throw new ActiveTimeError(`${quoted(bad)} ${bad.length === 1 ? 'is not a weekday or a range of them' : 'are not weekdays or ranges of them'} (mon-fri, sat)`);
  return days;
}

/** `08:00-20:00` → minutes; `24:00` is the end of the day. Every entry that is none is named at once. */
export function parseTimes(items: readonly string[]): { start: number; end: number }[] {
  const bad: string[] = [];
  const times = items.map((item) => {
    const found = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(item.trim());
    const start = found ? Number(found[1]) * 60 + Number(found[2]) : NaN;
    const end = found ? Number(found[3]) * 60 + Number(found[4]) : NaN;
    if (!found || Number(found[2]) > 59 || Number(found[4]) > 59 || start >= end || end > 1440) bad.push(item);
    return { start, end };
  });
  if (bad.length) {
    throw new ActiveTimeError(`${quoted(bad)} ${bad.length === 1 ? 'is not a time range' : 'are not time ranges'} such as 08:00-20:00 (start before end, within one day)`);
  }
  return times;
}

const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** `mon` or `Monday` → 1; anything else (`tues`, `mondays`) → -1. */
function weekday(text: string): number {
  const name = text.trim().toLowerCase();
  return name.length === 3 ? DAYS.indexOf(name) : DAY_NAMES.indexOf(name);
}

const quoted = (items: readonly string[]): string => items.map((item) => JSON.stringify(item)).join(', ');

export function checkZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new ActiveTimeError(`"${tz}" is not a time zone (Europe/Berlin, UTC, America/New_York)`);
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The local wall clock at `at` in `tz`. */
export function local(at: number, tz: string): { y: number; mo: number; d: number; wd: number; min: number } {
  let format = formats.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
    formats.set(tz, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return { y: Number(parts.year), mo: Number(parts.month), d: Number(parts.day), wd: DAYS.indexOf(parts.weekday.toLowerCase().slice(0, 3)), min: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** The instant of local time y-mo-d + minutes in tz (a time skipped by a DST change comes out an hour later). */
export function instant(y: number, mo: number, d: number, minutes: number, tz: string): number {
  const wall = Date.UTC(y, mo - 1, d, 0, minutes);
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const l = local(guess, tz);
    guess += wall - Date.UTC(l.y, l.mo - 1, l.d, 0, l.min);
  }
  return guess;
}

export function isActive(active: ActiveTime, at: number): boolean {
  const l = local(at, active.tz);
  return active.weekdays.has(l.wd) && active.times.some((t) => l.min >= t.start && l.min < t.end);
}

/** `at` when the interval is open, else the next instant it opens (within the coming 8 days). */
export function nextOpen(active: ActiveTime, at: number): number {
  if (isActive(active, at)) return at;
  const today = local(at, active.tz);
  for (let day = 0; day <= 8; day++) {
    const date = new Date(Date.UTC(today.y, today.mo - 1, today.d + day));
    const wd = date.getUTCDay();
    if (!active.weekdays.has(wd)) continue;
    const starts = active.times.map((t) => t.start).sort((a, b) => a - b);
    for (const start of starts) {
      const opens = instant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), start, active.tz);
      if (opens > at) return opens;
    }
  }
  return at; // no weekday at all cannot be configured; never hold forever
}

/** A digest's schedule: every hour (at minute `at`'s minutes), day (at `at`) or week (on `weekday`, at `at`). */
export interface DigestSchedule {
  readonly every: 'hour' | 'day' | 'week';
  /** Minutes after local midnight. */
  readonly at: number;
  /** For `week`: 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  readonly tz: string;
}

/** `09:00` → minutes after midnight. */
export function parseClock(text: string): number {
  const found = /^(\d{2}):(\d{2})$/.exec(text.trim());
  if (!found || Number(found[1]) > 23 || Number(found[2]) > 59) throw new ActiveTimeError(`"${text}" is not a time of day such as 09:00`);
  return Number(found[1]) * 60 + Number(found[2]);
}

/** The first scheduled instant after `at`. */
export function nextDigestAt(schedule: DigestSchedule, at: number): number {
  const today = local(at, schedule.tz);
  if (schedule.every === 'hour') {
    const minute = schedule.at % 60;
    for (let h = 0; h <= 26; h++) {
      const total = Math.floor(today.min / 60) * 60 + h * 60 + minute;
      const when = instant(today.y, today.mo, today.d, total, schedule.tz);
      if (when > at) return when;
    }
  }
  for (let day = 0; day <= 8; day++) {
    const date = new Date(Date.UTC(today.y, today.mo - 1, today.d + day));
    if (schedule.every === 'week' && date.getUTCDay() !== schedule.weekday) continue;
    const when = instant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), schedule.at, schedule.tz);
    if (when > at) return when;
  }
  return at + 86_400_000;
}
