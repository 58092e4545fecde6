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
