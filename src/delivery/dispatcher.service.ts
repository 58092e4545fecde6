import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { Clock } from '../common/clock';
import { JoggEnvelope } from '../common/jogg-event';
import { BridgeConfigService } from '../config/bridge-config.service';
import { LoadedConfig } from '../config/loaded-config';
import { collectSecrets, redactor } from '../config/secrets';
import { MetricsService } from '../ops/metrics.service';
import { RoutingService } from '../rules/routing.service';
import { PermanentSinkError, Sink, SinkEvent, TransientSinkError } from '../sinks/sink';
import { SinkRegistry } from '../sinks/sink.registry';
import { ClaimedDelivery, EventStore, Settlement } from '../store/event-store';
import { TokenBucket } from './rate-limiter';
import { SinkHealthLog } from './sink-health-log';
import { decideRetry, resolvePolicy, RetryPolicy } from './retry-policy';

interface SinkLane {
  sink: Sink;
  concurrency: number;
  policy: RetryPolicy;
  /** delivery.lease, or twice the sink's longest send when that is longer (see Sink.maxSendMs). */
  leaseMs: number;
  bucket?: TokenBucket;
  inFlight: number;
  claiming: boolean;
  /** Claimed, not yet started: lets a slot that frees up start at once, without a claim round trip. */
  buffer: { delivery: ClaimedDelivery; claimedAt: number }[];
  /** The last claim's error while claims fail (logged once per change). */
  claimError?: string;
}

const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Moves due deliveries to their sinks: claims them with a lease, sends, records every attempt and
 * retries transient failures with backoff until the policy gives up (then dead-letters). Woken by new
 * events, finished sends and a timer; never on the webhook's request path.
 */
@Injectable()
export class DispatcherService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DispatcherService.name);
  private readonly health = new SinkHealthLog(this.logger, () => this.clock.now());
  private readonly lanes = new Map<string, SinkLane>();
  private readonly running = new Set<Promise<void>>();
  /** Deliveries being sent right now, by id. */
  private readonly active = new Map<number, ClaimedDelivery>();
  private timer?: NodeJS.Timeout;
  private scheduled = false;
  private stopped = true;
  /** Errors are stored with deliveries and shown by the CLI: they must not carry a configured secret. */
  private redact: (text: string) => string;

  constructor(
    private readonly config: BridgeConfigService,
    private readonly sinks: SinkRegistry,
    private readonly routing: RoutingService,
    private readonly store: EventStore,
    private readonly clock: Clock,
    @Optional() private readonly metrics?: MetricsService,
  ) {
    this.redact = redactor(collectSecrets(config.current));
  }

  async onApplicationBootstrap(): Promise<void> {
    this.syncLanes(this.config.current);
    this.config.onChange((next) => {
      this.redact = redactor(collectSecrets(next));
      this.syncLanes(next);
      // the store may be failing right now: they stay waiting (and are dead-lettered at the next change or start)
      this.deadLetterOrphans().catch((error: Error) => this.logger.warn(`cannot dead-letter the deliveries of removed sinks: ${error.message}`));
    });
    await this.deadLetterOrphans();
    this.stopped = false;
    this.notify();
  }

  /**
   * One lane per configured sink. Lanes are updated in place (a running delivery settles on the lane that
   * counted it); a sink that left the config loses its lane, and its waiting deliveries are dead-lettered.
   */
  private syncLanes({ delivery, source, sinks }: LoadedConfig): void {
    const now = this.clock.now();
    for (const name of this.lanes.keys()) if (!sinks.has(name)) this.lanes.delete(name);
    for (const name of this.sinks.names()) {
      const sinkConfig = sinks.get(name)!.config;
      const rate = sinkConfig.rateLimit;
      const lane = this.lanes.get(name) ?? { inFlight: 0, claiming: false, buffer: [] };
      Object.assign(lane, {
        sink: this.sinks.get(name)!,
        concurrency: sinkConfig.concurrency ?? delivery.concurrency,
        policy: resolvePolicy(source.retry, sinkConfig.retry),
        leaseMs: Math.max(delivery.leaseMs, 2 * (this.sinks.get(name)!.maxSendMs ?? 0)),
        bucket: rate ? new TokenBucket(rate.perSecond, rate.burst, now) : undefined,
      });
      this.lanes.set(name, lane as SinkLane);
    }
  }

  private async deadLetterOrphans(): Promise<void> {
    const orphans = await this.store.deadLetterUnknownSinks(this.sinks.names(), this.clock.now());
    if (orphans) this.logger.warn(`${orphans} waiting deliveries name sinks that are no longer configured: dead-lettered (replay them once the sink is back)`);
  }

  /** Look for due work soon (called after new events are stored and after replays). */
  notify(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => this.tick());
  }

  /**
   * Stops claiming, gives claimed-but-unstarted deliveries back at once, lets running ones finish for a
   * bounded time, then gives back the leases of those still running (another instance, or the next start,
   * sends them; a late result of ours is then ignored).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const buffered = [...this.lanes.values()].flatMap((lane) => lane.buffer.splice(0).map((b) => b.delivery));
    await this.store.release(buffered).catch(() => 0);
    const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
    await Promise.race([Promise.allSettled([...this.running]), grace]);
    await this.store.release([...this.active.values()]).catch(() => 0);
  }

  private tick(): void {
    this.scheduled = false;
    if (this.stopped) return;
    clearTimeout(this.timer);
    let wait = this.config.current.delivery.pollIntervalMs;
    const now = this.clock.now();
    for (const lane of this.lanes.values()) {
      void this.fill(lane);
      if (lane.bucket) wait = Math.min(wait, Math.max(1, lane.bucket.waitMs(now)));
    }
    this.timer = setTimeout(() => this.notify(), wait);
    this.timer.unref();
  }

  private async fill(lane: SinkLane): Promise<void> {
    this.startBuffered(lane);
    const want = this.wanted(lane);
    if (want <= 0 || lane.claiming) return;
    lane.claiming = true;
    const claimedAt = this.clock.now();
    let claimed: ClaimedDelivery[] = [];
    try {
      claimed = await this.store.claimDue(lane.sink.name, want, claimedAt, lane.leaseMs);
      if (lane.claimError) this.logger.log(`claiming deliveries for ${lane.sink.name} works again`);
      lane.claimError = undefined;
    } catch (error) {
      // claims run every poll interval: log a failing store once per change, not on every tick
      const message = (error as Error).message;
      if (message !== lane.claimError) this.logger.error(`cannot claim deliveries for ${lane.sink.name}: ${message}`);
      lane.claimError = message;
    } finally {
      lane.claiming = false;
    }
    lane.buffer.push(...claimed.map((delivery) => ({ delivery, claimedAt })));
    this.startBuffered(lane);
    if (claimed.length === want) this.notify();
  }

  /**
   * How many to claim: rate-limited lanes take only what they may send now; others also keep as many
   * again ready, so a freed slot never waits for a claim.
   */
  private wanted(lane: SinkLane): number {
    if (this.stopped) return 0;
    if (lane.bucket) return Math.min(lane.concurrency - lane.inFlight, lane.bucket.available(this.clock.now())) - lane.buffer.length;
    return 2 * lane.concurrency - lane.inFlight - lane.buffer.length;
  }

  private startBuffered(lane: SinkLane): void {
    const now = this.clock.now();
    const staleAfter = lane.leaseMs / 2;
    while (lane.buffer.length && lane.inFlight < lane.concurrency && !this.stopped) {
      if (lane.bucket && lane.bucket.available(now) < 1) return;
      const { delivery, claimedAt } = lane.buffer.shift()!;
      // Held too long: leave it to its lease to expire, so it is claimed afresh rather than sent late.
      if (now - claimedAt > staleAfter) continue;
      lane.bucket?.take(now);
      this.track(lane, this.deliver(lane, delivery));
    }
  }

  private track(lane: SinkLane, work: Promise<void>): void {
    lane.inFlight++;
    this.running.add(work);
    void work.finally(() => {
      lane.inFlight--;
      this.running.delete(work);
      this.notify();
    });
  }

  private async deliver(lane: SinkLane, delivery: ClaimedDelivery): Promise<void> {
    const startedAt = this.clock.now();
    this.active.set(delivery.id, delivery);
    const result = await this.attempt(lane, delivery).finally(() => this.active.delete(delivery.id));
    const finishedAt = this.clock.now();
    this.metrics?.delivery(lane.sink.name, delivery.route, result.status, finishedAt - startedAt,
      result.status === 'delivered' ? finishedAt - delivery.event.receivedAt : undefined);
    const label = () => `delivery ${delivery.id} (event ${delivery.event.eventId ?? delivery.event.id}, ${delivery.event.event}) to ${lane.sink.name}`;
    if (result.status === 'dead') this.logger.warn(`${label()} dead-lettered: ${result.error}`);
    else if (result.status === 'retrying') this.logger.debug?.(`${label()} will retry: ${result.error}`);
    if (result.status === 'retrying') this.health.failed(lane.sink.name, result.error);
    else if (result.status === 'delivered') this.health.delivered(lane.sink.name);
    try {
      const settled = await this.store.settle({ delivery, startedAt, finishedAt, result });
      if (!settled) this.logger.warn(`${label()}: lease lost before the result was recorded; it will be tried again`);
    } catch (error) {
      this.logger.error(`${label()}: cannot record the result (${(error as Error).message}); it will be tried again`);
    }
  }

  private async attempt(lane: SinkLane, delivery: ClaimedDelivery): Promise<Settlement> {
    try {
      const event = toSinkEvent(delivery);
      const message = this.routing.render(delivery.route, lane.sink, event);
      await lane.sink.send(message, event);
      return { status: 'delivered' };
    } catch (error) {
      return this.afterFailure(lane.policy, delivery, error);
    }
  }

  private afterFailure(policy: RetryPolicy, delivery: ClaimedDelivery, error: unknown): Settlement {
    const message = this.redact((error as Error)?.message ?? String(error));
    if (error instanceof PermanentSinkError) return { status: 'dead', error: message };
    const retryAfterMs = error instanceof TransientSinkError ? error.retryAfterMs : undefined;
    const decision = decideRetry(policy, {
      attempt: delivery.attempts - delivery.attemptsBeforeReplay + 1, // this round's: a replay starts afresh
      createdAt: delivery.createdAt,
      now: this.clock.now(),
      retryAfterMs,
    });
    if (!decision.retry) return { status: 'dead', error: `${message} (${decision.reason})` };
    return { status: 'retrying', nextAt: decision.nextAt, error: message };
  }
}

/** The stored event as sinks see it; the body is parsed only if a sink reads the envelope. */
function toSinkEvent(delivery: ClaimedDelivery): SinkEvent {
  const { event } = delivery;
  let envelope: JoggEnvelope | undefined;
  return {
    id: event.id,
    deliveryId: delivery.id,
    attempt: delivery.attempts + 1,
    body: event.body,
    endpoint: event.endpoint,
    receivedAt: event.receivedAt,
    get envelope(): JoggEnvelope {
      if (envelope) return envelope;
      try {
        return (envelope = JSON.parse(event.body) as JoggEnvelope);
      } catch {
        throw new PermanentSinkError('stored body is not JSON');
      }
    },
  };
}
