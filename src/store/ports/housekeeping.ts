/** Upkeep of the store: retention, and the write probe behind readiness. */
export abstract class Housekeeping {
  /** Deletes events received before `before` whose deliveries are all delivered (or that had none); returns how many. */
  abstract purgeDelivered(before: number): Promise<number>;
  /** Resolves when the store can take a write right now (a real write of one heartbeat row). */
  abstract ping(): Promise<void>;
}
