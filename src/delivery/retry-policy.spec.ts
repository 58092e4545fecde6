import { RetryConfig } from '../sinks/core/sink-config';
import { plainToInstance } from 'class-transformer';
import { backoffCap, backoffDelay, decideRetry, resolvePolicy } from './retry-policy';
import { TokenBucket } from './rate-limiter';

const policy = resolvePolicy(plainToInstance(RetryConfig, {}, { exposeDefaultValues: true }));

describe('retry policy', () => {
  it('resolves defaults and per-sink overrides', () => {
    expect(policy).toEqual({ attempts: 100, maxAgeMs: 86_400_000, initialMs: 1000, maxMs: 3_600_000, factor: 2, jitter: true });
    const global = plainToInstance(RetryConfig, {}, { exposeDefaultValues: true });
    expect(resolvePolicy(global, { attempts: 3, maxAge: '10m' })).toMatchObject({ attempts: 3, maxAgeMs: 600_000, initialMs: 1000 });
  });

  it('grows the cap exponentially up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 12, 13, 20].map((n) => backoffCap(policy, n))).toEqual([
      1000, 2000, 4000, 8000, 16000, 2_048_000, 3_600_000, 3_600_000,
    ]);
  });

  it('applies full jitter between 0 and the cap, or the cap without jitter', () => {
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(2000);
    expect(backoffDelay(policy, 3, () => 0.999)).toBe(3996);
    expect(backoffDelay({ ...policy, jitter: false }, 3, () => 0)).toBe(4000);
  });

  it('honours Retry-After as a floor', () => {
    expect(decideRetry(policy, { attempt: 1, createdAt: 0, now: 0, retryAfterMs: 30_000 }, () => 0.5)).toEqual({ retry: true, nextAt: 30_000 });
    expect(decideRetry(policy, { attempt: 1, createdAt: 0, now: 0, retryAfterMs: 10 }, () => 0.5)).toEqual({ retry: true, nextAt: 500 });
  });

  it('gives up after the last attempt or past the maximum age', () => {
    expect(decideRetry(policy, { attempt: 100, createdAt: 0, now: 0 })).toEqual({ retry: false, reason: 'gave up after 100 attempts' });
    expect(decideRetry(policy, { attempt: 2, createdAt: 0, now: 86_399_000 }, () => 0.9)).toMatchObject({ retry: false });
    expect(decideRetry(policy, { attempt: 99, createdAt: 0, now: 0 }, () => 0.9)).toMatchObject({ retry: true });
  });

  it('is time-based by default: the backoff reaches its 1 h cap long before the attempts run out within 24 h', () => {
    // attempts within 24 h when every wait is at its cap, and when each is of the jitter's average length (half the cap)
    const within24h = (share: number) => {
      let elapsed = 0;
      let attempt = 1;
      while (elapsed + share * backoffCap(policy, attempt) <= policy.maxAgeMs) elapsed += share * backoffCap(policy, attempt++);
      return attempt;
    };
    expect([within24h(1), within24h(0.5)]).toEqual([35, 59]);
    expect(within24h(0.5)).toBeLessThan(policy.attempts);
  });
});

describe('token bucket', () => {
  it('allows a burst, then the sustained rate', () => {
    const bucket = new TokenBucket(1, 2, 0);
    expect(bucket.available(0)).toBe(2);
    bucket.take(0, 2);
    expect(bucket.available(0)).toBe(0);
    expect(bucket.waitMs(0)).toBe(1000);
    expect(bucket.available(999)).toBe(0);
    expect(bucket.available(1000)).toBe(1);
    expect(bucket.available(60_000)).toBe(2);
  });
});
