import { Attempt, ClaimedDelivery, Delivery, DeliveryQuery, DeliveryStatus, ReplayFilter, SettleRequest } from '../store.types';

/** The delivery queue: claims with leases, settlements, replays, circuits, and what it holds. */
export abstract class DeliveryQueue {
  /**
   * Leases up to `limit` due deliveries of one sink, in id order (oldest first). A delivery with an order key is
   * left waiting while an earlier delivery of its sink with that key is still waiting and not claimed with it.
   */
  abstract claimDue(sink: string, limit: number, now: number, leaseMs: number): Promise<ClaimedDelivery[]>;
  /** Records an attempt and moves the delivery on; ignored when the lease is no longer ours. */
  abstract settle(request: SettleRequest): Promise<boolean>;
  /**
   * Settles many attempts in one transaction (the dispatcher settles what finished in one turn together), each as
   * settle() would: returns, per request, whether it was recorded (false when the lease is no longer ours, or the
   * same lease was already settled earlier in the batch).
   */
  abstract settleBatch(requests: readonly SettleRequest[]): Promise<boolean[]>;
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
  /**
   * Dead-letters waiting deliveries whose sink is no longer configured, except those leased (being sent: their result
   * is recorded when it comes); returns how many.
   */
  abstract deadLetterUnknownSinks(known: readonly string[], now: number): Promise<number>;
  abstract getDelivery(id: number): Promise<Delivery | undefined>;
  abstract listDeliveries(query: DeliveryQuery): Promise<Delivery[]>;
  abstract listAttempts(deliveryId: number): Promise<Attempt[]>;
  abstract countDeliveries(): Promise<Record<DeliveryStatus, number>>;
  /** Deliveries by sink and status (for queue-depth and dead-letter gauges). */
  abstract deliveryCounts(): Promise<{ sink: string; status: DeliveryStatus; count: number }[]>;
}
