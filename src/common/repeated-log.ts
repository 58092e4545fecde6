/**
 * A log line that would repeat with every request or poll while a fault lasts (a store that cannot write):
 * the first is written, then at most one per `everyMs`; the writer is told how many were held back since.
 */
export class RepeatedLog {
  private lastAt = -Infinity;
  private held = 0;

  constructor(private readonly everyMs: number) {}

  write(now: number, write: (heldBack: number) => void): void {
    if (now - this.lastAt < this.everyMs) {
      this.held++;
      return;
    }
    write(this.held);
    this.lastAt = now;
    this.held = 0;
  }
}
