/**
 * Alert groups: deliveries of a grouped route are not sent one by one. At ingest (in the event's own transaction)
 * each becomes a member of the open group of its (sink, route, key); when the group is due it is flushed: closed and
 * given ONE delivery (atomically), which the dispatcher sends like any other (retries, dead letter, replay).
 */

/** How an ingested delivery joins a group (computed by the caller from the route's `group` settings). */
export interface GroupMembership {
  /** The values of the route's `by` fields, joined: events with the same key share a group. */
  key: string;
  /** A new group waits this long for more members. */
  waitMs: number;
  /** After a group of this key was flushed, the next one is flushed no sooner than this. */
  intervalMs: number;
  /** Active time: not flushed before this (the route's interval opens then); joining pushes an open group's due time to it. */
  notBefore?: number;
  /** The group's route when it is not the delivery's: a sink's digest collects every route to it (DIGEST_ROUTE). */
  route?: string;
}

/** The route name of digest groups (no route can be named so: route names start with a letter or digit). */
export const DIGEST_ROUTE = '(digest)';

export type GroupState = 'open' | 'flushed';

export interface AlertGroup {
  /** Group message N: the id, shown in the message and on each member. */
  id: number;
  sink: string;
  route: string;
  key: string;
  state: GroupState;
  openedAt: number;
  dueAt: number;
  flushedAt: number | null;
  /** Members so far (counted at flush for a flushed group). */
  members: number;
  /** The group's one delivery, once flushed. */
  deliveryId: number | null;
}

export interface GroupMember {
  groupId: number;
  eventPk: number;
  event: string;
  body: string;
  receivedAt: number;
}

export interface GroupQuery {
  state?: GroupState;
  sink?: string;
  /** Groups that have this event as a member. */
  eventPk?: number;
  before?: number;
  limit?: number;
}

/** The store's side of grouping: a port of its own, on the same engine as the inbox (members join at ingest). */
export abstract class AlertGroups {
  /** Closes every open group due at `now` and creates its one delivery (same transaction); returns the groups flushed. */
  abstract flushDue(now: number): Promise<AlertGroup[]>;
  /**
   * A digest for a period that had no events (`sendEmpty`): unless the sink already has a group for the period, stores
   * the digest's own event (dedupe key `digest:<sink>:<key>`, so once only across restarts and instances), a closed
   * group without members and its delivery. Returns the group, or null when the period had one already.
   */
  abstract emptyDigest(sink: string, key: string, periodEnd: number, now: number): Promise<AlertGroup | null>;
  /** When the earliest open group is due (null: none open). */
  abstract nextDueAt(): Promise<number | null>;
  abstract getGroup(id: number): Promise<AlertGroup | undefined>;
  abstract listGroups(query: GroupQuery): Promise<AlertGroup[]>;
  /** The first `limit` members in arrival order (`failedOnly`: only events whose name ends in `_failed`). */
  abstract members(groupId: number, limit: number, failedOnly?: boolean): Promise<GroupMember[]>;
  /** Members per event type. */
  abstract memberCounts(groupId: number): Promise<{ event: string; count: number }[]>;
}

/** When a new group of a key is due: after `wait`, but no sooner than `interval` after the key's last flush (both engines). */
export function dueAt(now: number, membership: GroupMembership, lastFlushedAt: number | null): number {
  const waited = Math.max(now + membership.waitMs, membership.notBefore ?? 0);
  return lastFlushedAt === null ? waited : Math.max(waited, lastFlushedAt + membership.intervalMs);
}
