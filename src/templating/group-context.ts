import { JoggEnvelope } from '../common/jogg-event';
import { templateContext } from './context';

/** One member of a group as its message lists it. */
export interface GroupMemberInput {
  envelope: JoggEnvelope;
  receivedAt: number;
  /** The bridge's own id of the event. */
  bridgeId: number;
}

/** What a group message is rendered for (alerting): the group, its counts and its first members. */
export interface GroupInput {
  /** Group message N: shown in the message and on each member. */
  id: number;
  /** The group's own delivery. */
  deliveryId: number;
  route: string;
  /** The `by` fields and their values (`event: generated_video_failed`). */
  labels: Readonly<Record<string, string>>;
  count: number;
  /** Members per event type, most first. */
  counts: readonly { event: string; count: number }[];
  /** The members listed (the first `max`); `count - members.length` are counted only. */
  members: readonly GroupMemberInput[];
  openedAt: number;
  flushedAt: number;
  /** Where to see every member: the CLI command. */
  cli: string;
  /** A digest (a sink's summary of a period): its period; `members` are then its first failures. */
  digest?: { start: number; end: number };
}

/**
 * What group templates read (digests: `digest` true, `period_start`, `period_end`, `failed`, and `events` are failures): `title` ("12 × generated_video_failed", and the rest of the group's key: "(data.error.code=18020)"), `span` ("30 s"), `count`, `counts`, `events`
 * (each with the fields a single event's template has: event, resource_id, error_code, error_message, time, …),
 * `more` (members not listed), `group_id`, `route`, `labels`, `cli`.
 */
export function groupTemplateContext(group: GroupInput): Record<string, unknown> {
  const events = group.members.map((m) =>
    templateContext({ envelope: m.envelope, endpoint: null, receivedAt: m.receivedAt, bridgeId: m.bridgeId, deliveryId: group.deliveryId }));
  const failed = group.counts.filter((c) => c.event.endsWith('_failed')).reduce((n, c) => n + c.count, 0);
  return {
    digest: group.digest !== undefined,
    period_start: group.digest ? new Date(group.digest.start).toISOString() : null,
    period_end: group.digest ? new Date(group.digest.end).toISOString() : null,
    failed,
    group_id: group.id,
    delivery_id: group.deliveryId,
    route: group.route,
    labels: group.labels,
    count: group.count,
    counts: group.counts.map((c) => ({ event: c.event, count: c.count })),
    title: group.counts.map((c) => `${c.count} × ${c.event}`).join(', ') + keyOf(group.labels),
    span: humanSpan(group.flushedAt - group.openedAt),
    events,
    listed: events.length,
    more: Math.max(0, (group.digest ? failed : group.count) - events.length),
    opened_at: new Date(group.openedAt).toISOString(),
    flushed_at: new Date(group.flushedAt).toISOString(),
    cli: group.cli,
  };
}

/** The group's key beyond the event name (" (data.error.code=18020)"), so two groups of one event tell apart. */
function keyOf(labels: Readonly<Record<string, string>> | undefined): string {
  const rest = Object.entries(labels ?? {}).filter(([field]) => field !== 'event').map(([field, value]) => `${field}=${value}`);
  return rest.length ? ` (${rest.join(', ')})` : '';
}

/** "30 s", "5 min", "2 h": how long the group collected. */
export function humanSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}
