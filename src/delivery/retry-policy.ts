import { RetryConfig, RetryOverride } from '../sinks/core/sink-config';
import { parseDuration } from '../common/units';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  maxAgeMs: number;
  initialMs: number;
  maxMs: number;
  factor: number;
  jitter: boolean;
}

export function resolvePolicy(global: RetryConfig, override?: RetryOverride): RetryPolicy {
  const backoff = override?.backoff ?? global.backoff;
  return {
    attempts: override?.attempts ?? global.attempts,
    maxAgeMs: parseDuration(override?.maxAge ?? global.maxAge)!,
    initialMs: parseDuration(backoff.initial)!,
    maxMs: parseDuration(backoff.max)!,
    factor: backoff.factor,
    jitter: backoff.jitter,
  };
}

/** The exponential cap for the wait after failed attempt n (1-based): initial × factor^(n-1), at most max. */
export function backoffCap(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt - 1));
}

/** Full jitter: a random wait between 0 and the cap, so retries of many deliveries spread out. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const cap = backoffCap(policy, attempt);
  return policy.jitter ? Math.floor(random() * cap) : cap;
}

export type RetryDecision = { retry: true; nextAt: number } | { retry: false; reason: string };

/**
 * After a transient failure of attempt n: when to try again, or why not. A server's Retry-After is
 * honoured as a floor; the policy's attempt count and maximum age still bound the whole.
 */
export function decideRetry(
  policy: RetryPolicy,
  input: { attempt: number; createdAt: number; now: number; retryAfterMs?: number },
  random: () => number = Math.random,
): RetryDecision {
  if (input.attempt >= policy.attempts) return { retry: false, reason: `gave up after ${input.attempt} attempts` };
  const wait = Math.max(backoffDelay(policy, input.attempt, random), input.retryAfterMs ?? 0);
  const nextAt = input.now + wait;
  if (nextAt - input.createdAt > policy.maxAgeMs) {
    return { retry: false, reason: `gave up: next attempt would be past the maximum age` };
  }
  return { retry: true, nextAt };
}
