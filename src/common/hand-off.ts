import { Injectable } from '@nestjs/common';

/**
 * Which sinks take their new deliveries straight from the ingress, and for how long those are leased. The
 * dispatcher opens a sink when it could send at once (its circuit closed, no rate limit, room in its lane, nothing
 * older waiting in the store) and closes it otherwise; the ingress asks at each webhook. A delivery of an open sink
 * is inserted already leased to this process and comes back with the event's commit, so it is sent without a claim
 * (a store round trip, and a read of the event, per batch). Nothing is open where no dispatcher runs (the CLI).
 */
@Injectable()
export class HandOff {
  private readonly open = new Map<string, number>();

  /** From now on, new deliveries to `sink` are leased for `leaseMs` and handed over. */
  openFor(sink: string, leaseMs: number): void {
    this.open.set(sink, leaseMs);
  }

  close(sink: string): void {
    this.open.delete(sink);
  }

  closeAll(): void {
    this.open.clear();
  }

  /** The lease to give a new delivery to `sink`, or undefined when it goes to the store to be claimed. */
  leaseMs(sink: string): number | undefined {
    return this.open.get(sink);
  }
}
