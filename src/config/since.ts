import { parseDuration } from '../common/units';

export class SinceError extends Error {}

/** "30m", "1h", "7d" (back from now) or a date such as 2026-11-26T10:00:00Z, as ms since the epoch. */
export function parseSince(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value === '') return undefined;
  const duration = parseDuration(value);
  if (duration !== undefined && !/^\d+$/.test(value)) return now - duration;
  const date = Date.parse(value);
  if (Number.isNaN(date)) throw new SinceError(`since takes a duration such as 30m, 1h, 7d or a date such as 2026-11-26T10:00:00Z, not "${value}"`);
  return date;
}
