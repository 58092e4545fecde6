import { GroupMembership } from './ports/alert-groups';

/** `silenced` (alerting): recorded, not sent, because a silence matched at ingest; replayable. */
export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'dead' | 'silenced';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'retrying', 'delivered', 'dead', 'silenced'];

export interface NewEvent {
  dedupeKey: string;
  eventId?: string;
  event: string;
  timestamp: number;
  endpoint: string | null;
  receivedAt: number;
  /** The raw body exactly as received (the signed bytes, as UTF-8). */
  body: string;
  /** `orderKey`: deliveries of one sink with the same key are sent in id order, one key's later ones waiting for its earlier. */
  /**
   * Alerting: `group` joins the delivery to its group instead; `silenceId` records it `silenced` by that silence;
   * `notBefore` holds it until then (the route's active time opens).
   */
  /**
   * Hand-off: a delivery with `leaseUntil` (never one with a group, silence, `notBefore` or order key) is inserted
   * already leased to this process until then, and comes back in `IngestResult.claimed`: the dispatcher sends it
   * without claiming it from the store.
   */
  deliveries: readonly { route: string; sink: string; orderKey?: string | null; group?: GroupMembership; silenceId?: number; notBefore?: number; leaseUntil?: number }[];
}

export interface IngestResult {
  id: number;
  duplicate: boolean;
  /** The deliveries inserted leased (those with `leaseUntil`), as a claim would return them; none for a duplicate. */
  claimed?: ClaimedDelivery[];
}

/** Which of an event's deliveries were inserted leased: their position in `NewEvent.deliveries` and their id. */
export interface LeasedAtIngest {
  token: string;
  deliveries: { at: number; id: number }[];
}

/** True for a delivery the store inserts leased (hand-off): only a plain one, sent on its own, may skip the claim. */
export function leasedAtIngest(d: NewEvent['deliveries'][number]): d is NewEvent['deliveries'][number] & { leaseUntil: number } {
  return d.leaseUntil !== undefined && !d.group && d.silenceId === undefined && d.notBefore === undefined && (d.orderKey ?? null) === null;
}

/** The claimed deliveries of a hand-off, built from what the ingress gave (no read back): what a claim would return. */
export function handedOff(event: NewEvent, eventPk: number, leased: LeasedAtIngest): ClaimedDelivery[] {
  const stored: StoredEvent = {
    id: eventPk, dedupeKey: event.dedupeKey, eventId: event.eventId ?? null, event: event.event, timestamp: event.timestamp,
    endpoint: event.endpoint, receivedAt: event.receivedAt, routed: event.deliveries.length, body: event.body,
  };
  const at = event.receivedAt;
  return leased.deliveries.map(({ at: index, id }) => ({
    id, eventPk, route: event.deliveries[index].route, sink: event.deliveries[index].sink, status: 'pending', attempts: 0,
    attemptsBeforeReplay: 0, orderKey: null, pausedMs: 0, groupId: null, silenceId: null, nextAt: at, lastError: null,
    createdAt: at, updatedAt: at, leaseToken: leased.token, event: stored,
  }));
}

export interface StoredEvent {
  id: number;
  dedupeKey: string;
  eventId: string | null;
  event: string;
  timestamp: number;
  endpoint: string | null;
  receivedAt: number;
  /** Deliveries created for it; 0 means no route matched (unrouted). */
  routed: number;
  body: string;
}

export interface Delivery {
  id: number;
  eventPk: number;
  route: string;
  sink: string;
  status: DeliveryStatus;
  /** Attempts ever made, replays included (the attempts history has this many entries). */
  attempts: number;
  /**
   * Attempts outside this round's retry budget: those made before the latest replay (a replay gives a fresh
   * budget) and the failed attempts made while the sink's circuit was open (the sink was down, not the delivery).
   */
  attemptsBeforeReplay: number;
  /** Sent in id order with the other deliveries of its sink that have the same key (null: no order). */
  orderKey: string | null;
  /** Time its sink's circuit was open while it waited: not counted toward the policy's maximum age. */
  pausedMs: number;
  /** Alerting: the group this delivery sends as one message (null: an event's own delivery). */
  groupId: number | null;
  /** Alerting: the silence that held it back (status `silenced`, or replayed since). */
  silenceId: number | null;
  nextAt: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface ClaimedDelivery extends Delivery {
  /** Proves the claim when settling: a claim that expired and was taken by someone else is not ours. */
  leaseToken: string;
  event: StoredEvent;
}

export interface Attempt {
  deliveryId: number;
  attempt: number;
  startedAt: number;
  durationMs: number;
  outcome: 'delivered' | 'retry' | 'dead';
  error: string | null;
}

export type Settlement =
  | { status: 'delivered' }
  /** `uncounted`: the failure happened while the sink's circuit was open; it does not use the retry budget. */
  | { status: 'retrying'; nextAt: number; error: string; uncounted?: boolean }
  | { status: 'dead'; error: string };

export interface SettleRequest {
  delivery: ClaimedDelivery;
  startedAt: number;
  finishedAt: number;
  result: Settlement;
}

export interface DeliveryQuery {
  status?: DeliveryStatus;
  sink?: string;
  eventPk?: number;
  /** Updated at or after this time (ms since epoch). */
  since?: number;
  /** Only ids below this one (paging: pass the last id of the previous page). */
  before?: number;
  limit?: number;
}

export interface EventQuery {
  event?: string;
  since?: number;
  /** Only ids below this one (paging: pass the last id of the previous page). */
  before?: number;
  limit?: number;
}

export interface ReplayFilter {
  ids?: readonly number[];
  /** Without ids: every dead letter matching sink and since. */
  sink?: string;
  since?: number;
}

/** A webhook secret JoggAI generated for one of its endpoints (captured by sync). */
export interface EndpointSecret {
  endpoint: string;
  endpointId: string;
  secret: string;
}

/** The store could not take the write (disk full, read-only, locked): the caller should answer 503. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`store unavailable: ${(cause as Error)?.message ?? cause}`);
    this.name = 'StoreUnavailableError';
  }
}
