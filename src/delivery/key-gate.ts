import { ClaimedDelivery, DeliveryStatus } from '../store/store.types';

/**
 * Per-key order within what one dispatcher lane holds. The store never hands out a delivery while an earlier one
 * of its key is leased elsewhere; this keeps the order among the ones it handed out together: a key's later
 * delivery starts only when no earlier one of its key runs, except in the same start pass for a sink that sends
 * what starts together in order (Kafka's one produce request).
 */
export class KeyGate {
  /** Key → deliveries of it running, and the pass that started them. */
  private readonly running = new Map<string, { count: number; pass: number }>();
  /** Keys whose earlier delivery was left to its lease in a pass: their later ones are left too. */
  private droppedIn = new Map<string, number>();
  private passes = 0;

  newPass(): number {
    this.droppedIn.clear();
    return ++this.passes;
  }

  mayStart(delivery: ClaimedDelivery, pass: number, together: boolean): boolean {
    const key = delivery.orderKey;
    if (key === null) return true;
    const running = this.running.get(key);
    return !running || (together && running.pass === pass);
  }

  started(delivery: ClaimedDelivery, pass: number, together: boolean): void {
    const key = delivery.orderKey;
    if (key === null) return;
    const running = this.running.get(key);
    if (running && together && running.pass === pass) running.count++;
    else this.running.set(key, { count: 1, pass });
  }

  finished(delivery: ClaimedDelivery, _status: DeliveryStatus): void {
    const key = delivery.orderKey;
    if (key === null) return;
    const running = this.running.get(key);
    if (running && --running.count <= 0) this.running.delete(key);
  }

  /** True when an earlier delivery of this key was left to its lease in this pass. */
  dropped(delivery: ClaimedDelivery, pass: number): boolean {
    return delivery.orderKey !== null && this.droppedIn.get(delivery.orderKey) === pass;
  }

  drop(delivery: ClaimedDelivery, pass: number): void {
    if (delivery.orderKey !== null) this.droppedIn.set(delivery.orderKey, pass);
  }

  /** The lane gave back everything it held (the sink went down); running ones still finish. */
  clear(): void {
    this.droppedIn.clear();
  }
}
