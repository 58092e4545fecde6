import { isActive, nextDigestAt, nextOpen } from '../common/active-time';
import { JoggEnvelope } from '../common/jogg-event';
import { groupFor, LoadedGroups } from '../config/groups';
import { LoadedSink } from '../config/loaded-config';
import { AlertGroup } from '../store/ports/alert-groups';
import { Silence } from '../store/ports/silences';
import { groupKey, groupLabels, planAlerting } from './membership';
import { formatMatcher, silenceFor } from './silence-match';
import { counted } from '../common/units';

/** What alerting would do with one delivery (shown by `routes test` and the admin API's dry run). */
export interface AlertingDecision {
  silenced?: { id: number; until: string; comment: string; matchers: string[] };
  grouped?: { labels: Record<string, string>; wait: number; interval: number; max: number; openGroup?: { id: number; members: number; due: string } };
  /** Outside the route's active time: held until then. */
  heldUntil?: string;
  /** The sink sends digests: the event is counted in the next one, sent then. */
  digest?: { every: 'hour' | 'day' | 'week'; next: string };
}

/** The decisions for a delivery of `route` to `sink` at `now`; undefined when none applies (sent on its own, at once). */
export function alertingDecision(
  input: { groups: LoadedGroups; silences: readonly Silence[]; openGroups: readonly AlertGroup[] },
  route: string, sink: LoadedSink, envelope: JoggEnvelope, now: number,
): AlertingDecision | undefined {
  const silence = silenceFor(input.silences, { envelope, route, sink: sink.name }, now);
  if (silence) {
    return { silenced: { id: silence.id, until: new Date(silence.endsAt).toISOString(), comment: silence.comment, matchers: silence.matchers.map(formatMatcher) } };
  }
  const plan = planAlerting(input.groups, route, sink, envelope, now);
  const decision: AlertingDecision = {};
  const active = input.groups.activeTimes.get(route);
  if (active && !isActive(active, now)) decision.heldUntil = new Date(nextOpen(active, now)).toISOString();
  const digest = input.groups.digests.get(sink.name);
  if (digest) decision.digest = { every: digest.schedule.every, next: new Date(nextDigestAt(digest.schedule, now)).toISOString() };
  const group = groupFor(input.groups, route, sink);
  if (plan.group && group) {
    const key = groupKey(group.by, envelope);
    const open = input.openGroups.find((g) => g.route === route && g.sink === sink.name && g.key === key);
    decision.grouped = {
      labels: groupLabels(key), wait: group.waitMs, interval: group.intervalMs, max: group.max,
      ...(open ? { openGroup: { id: open.id, members: open.members, due: new Date(open.dueAt).toISOString() } } : {}),
    };
  }
  return Object.keys(decision).length ? decision : undefined;
}

/** One line saying the decision, for people. */
export function describeDecision(decision: AlertingDecision): string {
  if (decision.silenced) {
    const s = decision.silenced;
    return `silenced by silence ${s.id} (${s.matchers.join(' ')}) until ${s.until}: ${s.comment} — recorded, not sent`;
  }
  const parts: string[] = [];
  if (decision.heldUntil) parts.push(`outside the route's active time: held until ${decision.heldUntil}`);
  if (decision.digest) parts.push(`collected for the sink's ${decision.digest.every === 'day' ? 'daily' : `${decision.digest.every}ly`} digest, sent ${decision.digest.next} (not a message of its own)`);
  if (decision.grouped) {
    const g = decision.grouped;
    const labels = Object.entries(g.labels).map(([k, v]) => `${k}=${v}`).join(', ');
    parts.push(`grouped by ${labels}: the first waits ${g.wait / 1000} s, then one message at most every ${g.interval / 1000} s, listing ${g.max}` +
      (g.openGroup ? `; joins open group ${g.openGroup.id} (${counted(g.openGroup.members, 'event')}, due ${g.openGroup.due})` : ''));
  }
  return parts.join('; ');
}

type DryRun = { routes: { route: string; deliveries: { sink: string }[] }[] };

/** A dry run with each delivery's alerting decision added (`alerting`, only where one applies). */
export function withDecisions<R extends DryRun>(result: R, decide: (route: string, sink: string) => AlertingDecision | undefined): R {
  return {
    ...result,
    routes: result.routes.map((r) => ({
      ...r,
      deliveries: r.deliveries.map((d) => {
        const alerting = decide(r.route, d.sink);
        return alerting ? { ...d, alerting } : d;
      }),
    })),
  };
}
