import { JoggEnvelope } from '../common/jogg-event';
import { groupFor, LoadedGroups } from '../config/groups';
import { LoadedSink } from '../config/loaded-config';
import { GroupMembership } from '../store/alert-groups';

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

/** How a delivery of `route` to `sink` joins a group at ingest, or undefined when it is sent on its own. */
export function groupMembership(groups: LoadedGroups, route: string, sink: LoadedSink, envelope: JoggEnvelope): GroupMembership | undefined {
  const group = groupFor(groups, route, sink);
  if (!group) return undefined;
  return { key: groupKey(group.by, envelope), waitMs: group.waitMs, intervalMs: group.intervalMs };
}
