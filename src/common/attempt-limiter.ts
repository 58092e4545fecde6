/**
 * Attempts with a wrong token (console sign-in, admin API), per client address: after `limit` within `windowMs`,
 * further attempts are refused (429) until the window passes. Bounded memory: the oldest addresses are forgotten first.
 */
export class AttemptLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limit = 5, private readonly windowMs = 60_000, private readonly maxClients = 10_000) {}

  blocked(client: string, now: number): number {
    const recent = this.recent(client, now);
    return recent.length >= this.limit ? recent[0] + this.windowMs - now : 0;
  }

  failed(client: string, now: number): void {
    const recent = this.recent(client, now);
    recent.push(now);
    this.failures.delete(client);
    this.failures.set(client, recent);
    if (this.failures.size > this.maxClients) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(client: string, now: number): number[] {
    return (this.failures.get(client) ?? []).filter((at) => now - at < this.windowMs);
  }
}
