import { ActiveTime, DigestSchedule, parseClock, parseTimes, parseWeekdays } from '../common/active-time';
import { ActiveTimeConfig, DigestConfig, GroupConfig } from '../common/group-config';
import { parseDuration } from '../common/units';
import { definitionOf } from '../sinks/definitions';
import { BridgeConfigFile } from './bridge-config';
import { LoadedSink } from './loaded-config';

/** A `group:` section with its units resolved. */
export interface ResolvedGroup {
  readonly by: readonly string[];
  readonly waitMs: number;
  readonly intervalMs: number;
  readonly max: number;
}

/** Alerting: grouping by route (wins) and by sink. */
export interface LoadedGroups {
  readonly routes: ReadonlyMap<string, ResolvedGroup>;
  readonly sinks: ReadonlyMap<string, ResolvedGroup>;
  /** When each route with `active_time` may send. */
  readonly activeTimes: ReadonlyMap<string, ActiveTime>;
  /** Sinks that send one summary per period instead of a message per event. */
  readonly digests: ReadonlyMap<string, ResolvedDigest>;
}

export interface ResolvedDigest {
  readonly schedule: DigestSchedule;
  readonly max: number;
  readonly sendEmpty: boolean;
}

type Report = (path: readonly (string | number)[], message: string) => void;

function resolveGroup(group: GroupConfig): ResolvedGroup {
  return { by: group.by, waitMs: parseDuration(group.wait)!, intervalMs: parseDuration(group.interval)!, max: group.max };
}

/** Whether this sink can send group messages (its sender implements renderGroup). */
export function sinkGroups(sink: LoadedSink): boolean {
  return definitionOf(sink.config).groups === true;
}

/**
 * The routes' and sinks' `group:` sections. A route's group applies to those of its sinks that can send group
 * messages (slack, email); the others get each event as before. A group where no sink can use it is a mistake.
 */
export function loadGroups(source: BridgeConfigFile, sinks: ReadonlyMap<string, LoadedSink>, report: Report): LoadedGroups {
  const bySink = new Map<string, ResolvedGroup>();
  const digests = new Map<string, ResolvedDigest>();
  for (const sink of sinks.values()) {
    const digest = sink.config.digest && resolveDigest(sink.config.digest);
    if (digest && !sinkGroups(sink)) report(['sinks', sink.name, 'digest'], `${sink.config.type} sinks cannot send digests (slack and email can)`);
    else if (digest && sink.config.group) report(['sinks', sink.name, 'digest'], 'a sink sends either digests or group messages: remove group or digest');
    else if (digest) digests.set(sink.name, digest);
    if (!sink.config.group) continue;
    if (sinkGroups(sink)) bySink.set(sink.name, resolveGroup(sink.config.group));
    else report(['sinks', sink.name, 'group'], `${sink.config.type} sinks cannot send group messages (slack and email can)`);
  }
  const byRoute = new Map<string, ResolvedGroup>();
  const activeTimes = new Map<string, ActiveTime>();
  (source.routes ?? []).forEach((route, index) => {
    const active = activeTime(route.active_time);
    if (active) activeTimes.set(route.name, active);
    if (!route.group) return;
    const targets = (route.to ?? []).map((name) => sinks.get(name)).filter((sink): sink is LoadedSink => sink !== undefined);
    if (targets.length && !targets.some(sinkGroups)) {
      report(['routes', index, 'group'], `none of this route's sinks can send group messages (slack and email can): ${targets.map((s) => `${s.name} (${s.config.type})`).join(', ')}`);
      return;
    }
    byRoute.set(route.name, resolveGroup(route.group));
  });
  return { routes: byRoute, sinks: bySink, activeTimes, digests };
}

function resolveDigest(config: DigestConfig): ResolvedDigest | undefined {
  try {
    return { schedule: { every: config.every, at: parseClock(config.at), weekday: [...parseWeekdays([config.on])][0], tz: config.tz }, max: config.max, sendEmpty: config.sendEmpty };
  } catch {
    return undefined; // validation has reported it
  }
}

/** The resolved interval; undefined when absent or invalid (validation has reported it). */
function activeTime(config: ActiveTimeConfig | undefined): ActiveTime | undefined {
  if (!config) return undefined;
  try {
    return { weekdays: parseWeekdays(config.weekdays), times: parseTimes(config.times), tz: config.tz };
  } catch {
    return undefined;
  }
}

/** The grouping that applies to a delivery of `route` to `sink`, if any. */
export function groupFor(groups: LoadedGroups, route: string, sink: LoadedSink): ResolvedGroup | undefined {
  if (!sinkGroups(sink)) return undefined;
  return groups.routes.get(route) ?? groups.sinks.get(sink.name);
}
