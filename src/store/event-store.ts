import { GroupMembership } from './alert-groups';

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
  deliveries: readonly { route: string; sink: string; orderKey?: string | null; group?: GroupMembership; silenceId?: number; notBefore?: number }[];
}

export interface IngestResult {
  id: number;
  duplicate: boolean;
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

/**
 * Remembers, for a few seconds, that the storage refused a write. The readiness probe writes one small row, and
 * on a nearly full disk that row can still fit where an event does not; so the probe also reports the store down
 * while real writes fail. A write that proves there is room again clears it (on SQLite an event; on PostgreSQL
 * any commit), and so does time (no traffic, no evidence).
 */
export class WriteHealth {
  private failure?: { at: number; message: string };

  constructor(private readonly windowMs = 5000) {}

  failed(error: unknown): void {
    this.failure = { at: Date.now(), message: (error as Error)?.message ?? String(error) };
  }

  succeeded(): void {
    this.failure = undefined;
  }

  /** Throws while a refused write is recent. */
  check(): void {
    const failure = this.failure;
    if (!failure || Date.now() - failure.at >= this.windowMs) return;
    throw new Error(`${failure.message} (a write was refused ${((Date.now() - failure.at) / 1000).toFixed(1)} s ago)`);
  }
}

/**
 * The durable inbox and delivery queue. Writes resolve only once they are committed to disk;
 * adapters group concurrent writes into one transaction.
 */
export abstract class EventStore {
  /** Stores the event and its deliveries atomically, or reports it as a duplicate. */
  abstract ingest(event: NewEvent): Promise<IngestResult>;
  /**
   * Leases up to `limit` due deliveries of one sink, in id order (oldest first). A delivery with an order key is
   * left waiting while an earlier delivery of its sink with that key is still waiting and not claimed with it.
   */
  abstract claimDue(sink: string, limit: number, now: number, leaseMs: number): Promise<ClaimedDelivery[]>;
  /** Records an attempt and moves the delivery on; ignored when the lease is no longer ours. */
  abstract settle(request: SettleRequest): Promise<boolean>;
  /** Gives claimed deliveries back to the queue at once (shutdown), when the claim is still ours. */
  abstract release(claims: readonly { id: number; leaseToken: string }[]): Promise<number>;
  /** Re-queues deliveries; returns how many. */
  abstract replay(filter: ReplayFilter, now: number): Promise<number>;
  /**
   * Remembers that a sink's circuit opened at `openedAt` (kept across restarts; the first opening wins), and makes
   * its retrying deliveries due: nothing is claimed while it is open but the probe, which takes the oldest.
   */
  abstract openCircuit(sink: string, openedAt: number): Promise<void>;
  /**
   * The sink's circuit closed at `now`: its waiting deliveries are credited the time it was open (from
   * `openedAt`, or their creation when later) and retrying ones become due at once. Returns how many waited.
   */
  abstract closeCircuit(sink: string, openedAt: number, now: number): Promise<number>;
  /** Circuits open when the process stopped. */
  abstract openCircuits(): Promise<{ sink: string; openedAt: number }[]>;
  /** Dead-letters waiting deliveries whose sink is no longer configured; returns how many. */
  abstract deadLetterUnknownSinks(known: readonly string[], now: number): Promise<number>;
  abstract getEvent(id: number): Promise<StoredEvent | undefined>;
  abstract listEvents(query: EventQuery): Promise<StoredEvent[]>;
  abstract getDelivery(id: number): Promise<Delivery | undefined>;
  abstract listDeliveries(query: DeliveryQuery): Promise<Delivery[]>;
  abstract listAttempts(deliveryId: number): Promise<Attempt[]>;
  abstract countDeliveries(): Promise<Record<DeliveryStatus, number>>;
  /** Deliveries by sink and status (for queue-depth and dead-letter gauges). */
  abstract deliveryCounts(): Promise<{ sink: string; status: DeliveryStatus; count: number }[]>;
  /** Remembers secrets JoggAI returned (one per JoggAI endpoint id; a newer one replaces the older). */
  abstract saveEndpointSecrets(secrets: readonly EndpointSecret[], now: number): Promise<void>;
  /** Forgets the secrets of deleted JoggAI endpoints. */
  abstract forgetEndpointSecrets(endpointIds: readonly string[]): Promise<void>;
  abstract listEndpointSecrets(): Promise<EndpointSecret[]>;
  /** Rotations in progress: the older generations of an endpoint stay until `until`. */
  abstract saveRotation(rotation: { name: string; until: number }): Promise<void>;
  abstract endRotation(name: string): Promise<void>;
  abstract listRotations(): Promise<{ name: string; until: number }[]>;
  /**
   * Leadership for work that one instance must do (the sync loop, housekeeping). True while this store
   * holds it; another instance takes over when this one dies. A single-instance store always leads.
   */
  abstract acquireLeadership(): Promise<boolean>;
  /** Deletes events received before `before` whose deliveries are all delivered (or that had none); returns how many. */
  abstract purgeDelivered(before: number): Promise<number>;
  /** Resolves when the store can take a write right now (a write transaction that changes nothing). */
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;
}
