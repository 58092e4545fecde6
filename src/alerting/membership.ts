import { JoggEnvelope } from '../common/jogg-event';
import { isActive, nextDigestAt, nextOpen } from '../common/active-time';
import { groupFor, LoadedGroups, sinkGroups } from '../config/groups';
import { LoadedSink } from '../config/loaded-config';
import { DIGEST_ROUTE, GroupMembership } from '../store/ports/alert-groups';

/** The value of an event field (`event`, `data.error.code`), as text; absent is "". */
export function fieldValue(envelope: JoggEnvelope, path: string): string {
  let value: unknown = envelope;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, part)) return '';
    value = (value as Record<string, unknown>)[part];
  }
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The group key: the `by` fields with their values, as JSON (readable, and unambiguous whatever the values hold). */
export function groupKey(by: readonly string[], envelope: JoggEnvelope): string {
  return JSON.stringify(Object.fromEntries(by.map((field) => [field, fieldValue(envelope, field)])));
}

/** The labels a key stands for (`{ event: "generated_video_failed" }`). */
export function groupLabels(key: string): Record<string, string> {
  try {
    const parsed = JSON.parse(key) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** A group's key as `field=value` pairs, space-separated (empty for a key that is not one). */
export function groupLabelText(key: string): string {
  return Object.entries(groupLabels(key)).map(([field, value]) => `${field}=${value}`).join(' ');
}

/** The key of a digest's group: the end of its period. */
export function digestKey(periodEnd: number): string {
  return JSON.stringify({ digest: new Date(periodEnd).toISOString() });
}

/** What ingest does with a delivery: join a group, wait for the route's active time, or neither (sent on its own, now). */
export interface AlertingPlan {
  group?: GroupMembership;
  /** Held until then (outside the route's active time); for a group, the group is not flushed before. */
  notBefore?: number;
}

/**
 * Grouping and active time for a delivery of `route` to `sink` at `now`. Outside the route's active time, events for a
 * sink that sends group messages join one group (by the route's `group`, else all together) flushed when the interval
 * opens; events for other sinks wait as deliveries due then.
 */
export function planAlerting(groups: LoadedGroups, route: string, sink: LoadedSink, envelope: JoggEnvelope, now: number): AlertingPlan {
  const digest = groups.digests.get(sink.name);
  if (digest) {
    // one group per period (the key names its end), so an event just after the schedule never joins the period before
    const end = nextDigestAt(digest.schedule, now);
    return { group: { route: DIGEST_ROUTE, key: digestKey(end), waitMs: 0, intervalMs: 0, notBefore: end } };
  }
  const active = groups.activeTimes.get(route);
  const held = active && !isActive(active, now) ? nextOpen(active, now) : undefined;
  const hold = held !== undefined && held > now ? { notBefore: held } : {};
  if (!sinkGroups(sink)) return hold;
  const group = groupFor(groups, route, sink);
  if (!group && !('notBefore' in hold)) return {};
  return { group: { key: group ? groupKey(group.by, envelope) : '{}', waitMs: group?.waitMs ?? 0, intervalMs: group?.intervalMs ?? 0, ...hold } };
}
