import { LoggerService } from '@nestjs/common';

const STILL_FAILING_EVERY_MS = 60_000;

interface Failing {
  since: number;
  failures: number;
  lastWarnAt: number;
  sinceWarn: number;
}

/**
 * What a person watching the log needs while a sink is down: a warning at the first failed attempt, a
 * reminder at most once a minute while it keeps failing, and one line when it delivers again. Each retry
 * stays at debug.
 */
export class SinkHealthLog {
  private readonly failing = new Map<string, Failing>();

  constructor(private readonly logger: LoggerService, private readonly now: () => number) {}

  failed(sink: string, error: string): void {
    const now = this.now();
    const state = this.failing.get(sink);
    if (!state) {
      this.failing.set(sink, { since: now, failures: 1, lastWarnAt: now, sinceWarn: 0 });
      this.logger.warn(`sink ${sink} is failing: ${error}; its deliveries are retried with backoff`);
      return;
    }
    state.failures++;
    state.sinceWarn++;
    if (now - state.lastWarnAt < STILL_FAILING_EVERY_MS) return;
    this.logger.warn(`sink ${sink} still failing for ${seconds(now - state.since)}: ${state.sinceWarn} more failed attempts, the last: ${error}`);
    state.lastWarnAt = now;
    state.sinceWarn = 0;
  }

  delivered(sink: string): void {
    const state = this.failing.get(sink);
    if (!state) return;
    this.failing.delete(sink);
    this.logger.log(`sink ${sink} delivers again after ${seconds(this.now() - state.since)} and ${state.failures} failed attempts`);
  }
}

function seconds(ms: number): string {
  return ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}
