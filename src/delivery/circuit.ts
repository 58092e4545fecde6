import { LoggerService } from '@nestjs/common';

import { CircuitState } from './sink-circuits';

export type { CircuitState };

export interface CircuitOptions {
  /** Transient failures in a row that mark the sink down. */
  failures: number;
  /** Wait before the first probe once open; doubles after each failed probe, up to probeMaxMs. */
  probeInitialMs: number;
  probeMaxMs: number;
}

/** What a transition asks of the dispatcher. */
export type Transition = 'opened' | 'closed' | undefined;

const STILL_DOWN_EVERY_MS = 60_000;

/**
 * One sink's health, the one place that knows it. Closed: deliveries flow. After `failures` transient failures in
 * a row it opens: nothing is claimed for the sink, and a probe (one real send) runs on a doubling backoff; while
 * the probe runs the circuit is half-open. A probe that gets through closes it. A permanent failure counts as the
 * sink answering. The log gets one line when the sink goes down, a reminder at most once a minute while it stays
 * down, and one line when it is back.
 */
export class SinkCircuit {
  state: CircuitState = 'closed';
  /** When it opened (undefined while closed). */
  openedAt?: number;
  /** When the next probe may run (while open). */
  nextProbeAt = 0;
  private inARow = 0;
  private failedProbes = 0;
  private failuresWhileDown = 0;
  private lastReminderAt = 0;
  private sinceReminder = 0;

  constructor(
    readonly sink: string,
    private readonly logger: Pick<LoggerService, 'log' | 'warn'>,
    private options: CircuitOptions,
  ) {}

  configure(options: CircuitOptions): void {
    this.options = options;
  }

  /** A send got through (or was refused for good: the sink answered). */
  succeeded(now: number): Transition {
    this.inARow = 0;
    if (this.state === 'closed') return undefined;
    const down = now - this.openedAt!;
    this.logger.log(`sink ${this.sink} is back after ${seconds(down)} (${this.failuresWhileDown} failed attempts while down): its waiting deliveries are sent now`);
    this.state = 'closed';
    this.openedAt = undefined;
    this.failedProbes = 0;
    this.failuresWhileDown = 0;
    return 'closed';
  }

  /** A send failed for a reason that may pass; `retryAfterMs` (a server's wish) delays the next probe. */
  failed(now: number, error: string, retryAfterMs = 0): Transition {
    this.inARow++;
    if (this.state === 'closed') {
      if (this.inARow < this.options.failures) return undefined;
      this.open(now, now, retryAfterMs);
      this.logger.warn(
        `sink ${this.sink} is down after ${this.inARow} failed attempts in a row (the last: ${error}): its deliveries wait and do not use their retries; probing it again in ${seconds(this.nextProbeAt - now)}`,
      );
      return 'opened';
    }
    this.failuresWhileDown++;
    this.sinceReminder++;
    if (this.state === 'half-open') {
      this.failedProbes++;
      this.state = 'open';
      this.nextProbeAt = now + Math.max(this.probeWait(), retryAfterMs);
    }
    if (now - this.lastReminderAt >= STILL_DOWN_EVERY_MS) {
      this.logger.warn(`sink ${this.sink} still down for ${seconds(now - this.openedAt!)}: ${this.sinceReminder} more failed attempts, the last: ${error}`);
      this.lastReminderAt = now;
      this.sinceReminder = 0;
    }
    return undefined;
  }

  /** Open as it was when the process stopped (kept in the store): probe at once. */
  restore(openedAt: number, now: number): void {
    this.open(openedAt, now, 0);
    this.nextProbeAt = now;
    this.logger.warn(`sink ${this.sink} was down when the bridge stopped (since ${new Date(openedAt).toISOString()}): probing it before sending anything else`);
  }

  /** True (and half-open from now) when a probe should run now. */
  startProbe(now: number): boolean {
    if (this.state !== 'open' || now < this.nextProbeAt) return false;
    this.state = 'half-open';
    return true;
  }

  /** The probe found nothing to send and nothing to check: try again later, still open. */
  skipProbe(now: number): void {
    if (this.state !== 'half-open') return;
    this.state = 'open';
    this.nextProbeAt = now + this.probeWait();
  }

  /** 0 closed, 1 open, 0.5 half-open (for the gauge). */
  get gauge(): number {
    return this.state === 'closed' ? 0 : this.state === 'open' ? 1 : 0.5;
  }

  private open(openedAt: number, now: number, retryAfterMs: number): void {
    this.state = 'open';
    this.openedAt = openedAt;
    this.failedProbes = 0;
    this.failuresWhileDown = 0;
    this.sinceReminder = 0;
    this.lastReminderAt = now;
    this.nextProbeAt = now + Math.max(this.probeWait(), retryAfterMs);
  }

  private probeWait(): number {
    return Math.min(this.options.probeMaxMs, this.options.probeInitialMs * 2 ** this.failedProbes);
  }
}

function seconds(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(ms < 1000 ? 2 : 1).replace(/\.?0+$/, '')} s`;
  return ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}
