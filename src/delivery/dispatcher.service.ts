import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainEvents, DomainEventMap, Subscriptions } from '../common/domain-events';
import { HandOff } from '../common/hand-off';
import { RepeatedLog } from '../common/repeated-log';
import { JoggEnvelope } from '../common/jogg-event';
import { BridgeConfigService } from '../config/bridge-config.service';
import { LoadedConfig } from '../config/loaded-config';
import { collectSecrets, redactor } from '../config/secrets';
import { MetricsService } from '../metrics/metrics.service';
import { SinkCircuits } from './sink-circuits';
import { RoutingService } from '../rules/routing.service';
import { failureOf, PermanentSinkError, Sink, SinkEvent, TransientSinkError } from '../sinks/core/sink';
import { SinkRegistry } from '../sink-registry/sink.registry';
import { DeliveryQueue } from '../store/ports/delivery-queue';
import { ClaimedDelivery, SettleRequest, Settlement } from '../store/store.types';
import { EnvelopeCache } from './envelope-cache';
import { TokenBucket } from './rate-limiter';
import { parseDuration } from '../common/units';
import { CircuitOptions, CircuitState, SinkCircuit } from './circuit';
import { KeyGate } from './key-gate';
import { decideRetry, resolvePolicy, RetryPolicy } from './retry-policy';
import { GroupMessages } from '../alerting/group-messages.service';

interface SinkLane {
  sink: Sink;
  concurrency: number;
  policy: RetryPolicy;
  /** delivery.lease, or twice the sink's longest send when that is longer (see Sink.maxSendMs). */
  leaseMs: number;
  bucket?: TokenBucket;
  /** Sends running (a send carries up to the sink's batchSize deliveries). */
  inFlight: number;
  /** Deliveries those sends carry. */
  carried: number;
  /** Deliveries sent lately per second: claims keep about READY_S of them ready (a fast sink never waits for a claim). */
  pace: { since: number; count: number; perSecond: number };
  claiming: boolean;
  /** Claimed, not yet started: lets a slot that frees up start at once, without a claim round trip. */
  buffer: { delivery: ClaimedDelivery; claimedAt: number }[];
  /** The last claim's error while claims fail (logged once per change). */
  /** Claims are failing (the store cannot write): since when the last failure was, and when it was last logged. */
  claimFailing?: { lastAt: number; log: RepeatedLog; lines: number };
  /** The sink's health: while open nothing is claimed but one probe at a time. */
  circuit: SinkCircuit;
  /** Which order keys may start now (per-key order within what this lane holds). */
  keys: KeyGate;
  /** The last claim got less than it asked for: nothing more was due in the store (then new deliveries may be handed off). */
  caughtUp: boolean;
  /**
   * Counts what may have put claimable deliveries of this sink in the store behind the lane's back: new ones that were
   * not handed off, replays, releases, the circuit closing. A caught-up lane that has seen its current generation skips
   * its claims until the next poll interval (only time can make more due: retries, the end of a hold).
   */
  generation: number;
  /** When the last claim ran, and the lane's generation then. */
  lastClaim: { at: number; generation: number };
}

const SHUTDOWN_GRACE_MS = 10_000;
/** The most one claim takes: larger claims hold the writer's transaction longer and gain little. */
const MAX_CLAIM = 1000;
/** The most a lane holds (sending and ready) when it goes fast: bounds the memory a backlog takes. */
const MAX_HELD = 2 * MAX_CLAIM;
/** Seconds of sending that claims keep ready, at the lane's recent pace (a claim waits for a commit). */
const READY_S = 0.5;
const PACE_WINDOW_MS = 250;
const CLAIM_LOG_EVERY_MS = 60_000;
/** Claims must go through this long after the last failure before the log says they work again. */
const CLAIM_RECOVERED_AFTER_MS = 5_000;

/**
 * Moves due deliveries to their sinks: claims them with a lease, sends, records every attempt and
 * retries transient failures with backoff until the policy gives up (then dead-letters). Woken by new
 * events, finished sends and a timer; never on the webhook's request path.
 */
@Injectable()
export class DispatcherService implements SinkCircuits, OnModuleInit, OnModuleDestroy, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DispatcherService.name);
  private readonly lanes = new Map<string, SinkLane>();
  private readonly running = new Set<Promise<void>>();
  /** Deliveries being sent right now, by id. */
  private readonly active = new Map<number, ClaimedDelivery>();
  private readonly envelopes = new EnvelopeCache();
  /** Settles of this turn, sent to the store together. */
  private settleQueue: { requests: SettleRequest[]; resolve: (settled: boolean[]) => void; reject: (error: unknown) => void }[] = [];
  private timer?: NodeJS.Timeout;
  private scheduled = false;
  private stopped = true;
  /** Errors are stored with deliveries and shown by the CLI: they must not carry a configured secret. */
  private redact: (text: string) => string;
  private readonly subscriptions = new Subscriptions();

  constructor(
    private readonly config: BridgeConfigService,
    private readonly sinks: SinkRegistry,
    private readonly routing: RoutingService,
    private readonly store: DeliveryQueue,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
    private readonly events: DomainEvents,
    private readonly groupMessages: GroupMessages,
    private readonly handOff: HandOff,
  ) {
    this.redact = redactor(collectSecrets(config.current));
  }

  onModuleInit(): void {
    this.subscriptions.add(
      // the sink registry (a module below) has renewed its sinks by now: handlers run in module order
      this.events.on('config.changed', DispatcherService.name, ({ next }) => this.configChanged(next)),
      this.events.on('event.accepted', DispatcherService.name, (accepted) => this.accepted(accepted)),
      this.events.on('deliveries.requeued', DispatcherService.name, () => this.storeChanged([...this.lanes.keys()])),
    );
  }

  onModuleDestroy(): void {
    this.subscriptions.unsubscribe();
  }

  private configChanged(next: LoadedConfig): void {
    this.redact = redactor(collectSecrets(next));
    this.syncLanes(next);
    // the store may be failing right now: they stay waiting (and are dead-lettered at the next change or start)
    this.deadLetterOrphans().catch((error: Error) => this.logger.warn(`cannot dead-letter the deliveries of removed sinks: ${error.message}`));
  }

  async onApplicationBootstrap(): Promise<void> {
    this.syncLanes(this.config.current);
    await this.deadLetterOrphans();
    await this.restoreCircuits();
    this.stopped = false;
    this.notify();
  }

  /**
   * One lane per configured sink. Lanes are updated in place (a running delivery settles on the lane that
   * counted it); a sink that left the config loses its lane, and its waiting deliveries are dead-lettered.
   */
  private syncLanes({ delivery, sinks, source }: LoadedConfig): void {
    const now = this.clock.now();
    for (const [name, lane] of this.lanes) {
      if (sinks.has(name)) continue;
      this.lanes.delete(name);
      this.handOff.close(name);
      // not started: back to the store, where they are dead-lettered as never attempted (those being sent finish first)
      this.giveBackToStore(lane.buffer.splice(0).map((b) => b.delivery));
    }
    for (const name of this.sinks.names()) {
      const sinkConfig = sinks.get(name)!.config;
      const rate = sinkConfig.rateLimit;
      const sink = this.sinks.get(name)!;
      const lane = this.lanes.get(name) ?? {
        inFlight: 0, carried: 0, pace: { since: now, count: 0, perSecond: 0 }, claiming: false, buffer: [], keys: new KeyGate(),
        circuit: new SinkCircuit(name, this.logger, circuitOptions(source)), caughtUp: false, generation: 0, lastClaim: { at: 0, generation: -1 },
      };
      lane.circuit.configure(circuitOptions(source));
      this.metrics?.circuit(name, lane.circuit.gauge);
      Object.assign(lane, {
        sink,
        concurrency: sinkConfig.concurrency ?? delivery.concurrency,
        policy: resolvePolicy(source.retry, sinkConfig.retry),
        leaseMs: Math.max(delivery.leaseMs, 2 * (this.sinks.get(name)!.maxSendMs ?? 0)),
        bucket: rate ? new TokenBucket(rate.perSecond, rate.burst, now) : undefined,
      });
      this.lanes.set(name, lane as SinkLane);
      this.updateHandOff(lane as SinkLane);
    }
  }

  /**
   * New events committed: take what was handed off (leased to us at insert) into the lanes, to start at the next turn
   * (after the webhooks of this commit are answered, and together: one send carries what one commit handed over);
   * what a lane cannot take now goes back to the store. Deliveries that were not handed off wait in the store: claim them.
   */
  private accepted({ claimed, waiting }: DomainEventMap['event.accepted']): void {
    const back: ClaimedDelivery[] = [];
    const taken = new Map<SinkLane, number>();
    for (const delivery of claimed) {
      const lane = this.lanes.get(delivery.sink);
      if (!lane || this.stopped || lane.circuit.state !== 'closed') back.push(delivery);
      else {
        // the lease runs from the ingest's clock reading: a delivery held too long is left to it (see startBuffered)
        lane.buffer.push({ delivery, claimedAt: delivery.event.receivedAt });
        taken.set(lane, (taken.get(lane) ?? 0) + 1);
      }
    }
    for (const [lane, count] of taken) this.metrics?.handOff(lane.sink.name, count);
    this.giveBackToStore(back);
    if (waiting.length) this.storeChanged(waiting);
    else this.notify();
  }

  /**
   * Claimable deliveries of these sinks may be in the store that their lanes have not seen: each claims at its next
   * turn, and takes no hand-off until a claim has caught up (new deliveries must not go ahead of those).
   */
  private storeChanged(sinks: Iterable<string>): void {
    for (const sink of sinks) {
      const lane = this.lanes.get(sink);
      if (!lane) continue;
      lane.generation++;
      lane.caughtUp = false;
      this.updateHandOff(lane);
    }
    this.notify();
  }

  private giveBackToStore(deliveries: readonly ClaimedDelivery[]): void {
    if (!deliveries.length) return;
    const sinks = new Set(deliveries.map((d) => d.sink));
    void this.store.release(deliveries).then(() => this.storeChanged(sinks), () => 0);
  }

  /**
   * Opens the lane's hand-off while it keeps up: nothing older waits in the store (a handed-off delivery would go
   * ahead of it) and the lane holds less than a claim would fill it to (half a second of its pace, see wanted()).
   * Closes it otherwise: then new deliveries wait in the store and are claimed in order, as the lane frees up.
   */
  private updateHandOff(lane: SinkLane): void {
    const open = !this.stopped && lane.circuit.state === 'closed' && !lane.bucket && lane.caughtUp && this.wanted(lane) > 0;
    if (open) this.handOff.openFor(lane.sink.name, lane.leaseMs);
    else this.handOff.close(lane.sink.name);
  }

  /** Sinks that were down when the process stopped start down: probed before anything else is sent. */
  private async restoreCircuits(): Promise<void> {
    try {
      const now = this.clock.now();
      for (const { sink, openedAt } of await this.store.openCircuits()) {
        const lane = this.lanes.get(sink);
        if (!lane) continue;
        lane.circuit.restore(openedAt, now);
        this.metrics?.circuit(sink, lane.circuit.gauge);
      }
    } catch (error) {
      this.logger.warn(`cannot read which sinks were down: ${(error as Error).message}`);
    }
  }

  /** Each configured sink's circuit (for /readyz). */
  circuits(): Record<string, CircuitState> {
    return Object.fromEntries([...this.lanes].map(([name, lane]) => [name, lane.circuit.state]));
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
    this.handOff.closeAll();
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
      if (lane.circuit.state === 'open') wait = Math.min(wait, Math.max(1, lane.circuit.nextProbeAt - now));
    }
    this.timer = setTimeout(() => this.notify(), wait);
    this.timer.unref();
  }

  /**
   * Claims run every poll interval. A store that cannot write is logged when claims start failing and then at
   * most once a minute; "works again" only after claims have gone through for a while, since on a nearly full
   * disk some claims fit and others do not, and the log would flap with them.
   */
  private claimFailed(lane: SinkLane, now: number, message: string): void {
    const failing = (lane.claimFailing ??= { lastAt: now, log: new RepeatedLog(CLAIM_LOG_EVERY_MS), lines: 0 });
    failing.lastAt = now;
    failing.log.write(now, () => this.logger.error(`cannot claim deliveries for ${lane.sink.name}${failing.lines++ ? ' (still)' : ''}: ${message}`));
  }

  private claimWorked(lane: SinkLane, now: number): void {
    if (!lane.claimFailing || now - lane.claimFailing.lastAt < CLAIM_RECOVERED_AFTER_MS) return;
    lane.claimFailing = undefined;
    this.logger.log(`claiming deliveries for ${lane.sink.name} works again`);
  }

  private async fill(lane: SinkLane): Promise<void> {
    if (lane.circuit.state !== 'closed') return this.probe(lane);
    this.startBuffered(lane);
    const want = this.wanted(lane);
    if (want <= 0 || lane.claiming) return;
    const claimedAt = this.clock.now();
    // caught up, and nothing was put in the store since: new work comes by hand-off, time-due work at the poll interval
    const { at, generation } = lane.lastClaim;
    if (lane.caughtUp && generation === lane.generation && claimedAt - at < this.config.current.delivery.pollIntervalMs) return;
    lane.claiming = true;
    lane.lastClaim = { at: claimedAt, generation: lane.generation };
    let claimed: ClaimedDelivery[] = [];
    try {
      claimed = await this.store.claimDue(lane.sink.name, want, claimedAt, lane.leaseMs);
      this.claimWorked(lane, claimedAt);
      // caught up: the store had no more due than asked, and nothing was put there for this sink while the claim ran
      lane.caughtUp = claimed.length < want && lane.lastClaim.generation === lane.generation;
    } catch (error) {
      this.claimFailed(lane, claimedAt, (error as Error).message);
      lane.caughtUp = false;
    } finally {
      lane.claiming = false;
    }
    // the sink went down while this claim ran: give the claims back now, or they would wait out their lease
    if (lane.circuit.state !== 'closed') {
      this.giveBackToStore(claimed);
      return this.updateHandOff(lane);
    }
    lane.buffer.push(...claimed.map((delivery) => ({ delivery, claimedAt })));
    this.startBuffered(lane);
    if (claimed.length === want) this.notify();
  }

  /**
   * While a sink is down: at most one probe at a time, on the circuit's backoff. The probe is a real send of the
   * sink's oldest due delivery (what a delivery needs is what the probe tests: the sink's own check() proves less,
   * HTTP has none); only when nothing is due does it fall back to check(). Its result moves the circuit.
   */
  private async probe(lane: SinkLane): Promise<void> {
    const now = this.clock.now();
    if (lane.claiming || this.stopped || !lane.circuit.startProbe(now)) return;
    this.metrics?.circuit(lane.sink.name, lane.circuit.gauge);
    lane.claiming = true;
    let claimed: ClaimedDelivery[] = [];
    try {
      claimed = await this.store.claimDue(lane.sink.name, 1, now, lane.leaseMs);
    } catch (error) {
      this.logger.error(`cannot claim a probe for ${lane.sink.name}: ${(error as Error).message}`);
      lane.circuit.skipProbe(now);
      return;
    } finally {
      lane.claiming = false;
    }
    if (claimed.length) {
      lane.keys.started(claimed[0], 0, lane.sink.sendsTogetherInOrder);
      return this.track(lane, claimed);
    }
    const checked = await lane.sink.check().then(() => undefined, (error: Error) => error);
    if (checked) this.afterResult(lane, { status: 'retrying', nextAt: now, error: this.redact(checked.message) }, checked);
    else this.afterResult(lane, { status: 'delivered' }, undefined);
  }

  /**
   * How many to claim: rate-limited lanes take only what they may send now; others also keep some ready, so a
   * freed slot never waits for a claim (a claim waits for a commit). A send carries up to the sink's batchSize.
   */
  private wanted(lane: SinkLane): number {
    if (this.stopped) return 0;
    const size = lane.sink.batchSize;
    if (lane.bucket) return Math.min(lane.concurrency * size - lane.carried, lane.bucket.available(this.clock.now())) - lane.buffer.length;
    // held (sending and ready): two sends' worth for a batching sink, twice the concurrency otherwise, more at a fast pace
    const floor = 2 * (size > 1 ? size : lane.concurrency);
    const held = Math.min(MAX_HELD, Math.max(floor, Math.ceil(lane.pace.perSecond * READY_S)));
    return Math.min(MAX_CLAIM, held - lane.carried - lane.buffer.length);
  }

  /**
   * Starts what the lane holds, in claim (id) order, within its concurrency and rate, in sends of up to the sink's
   * batchSize. A delivery whose key has an earlier delivery running (or, for a sink that does not send together in
   * order, running or started in this pass; for a batching sink, running or in another batch) stays in the buffer;
   * one held too long is left to its lease, and so are the later ones of its key.
   */
  private startBuffered(lane: SinkLane): void {
    if (lane.circuit.state !== 'closed') return;
    const now = this.clock.now();
    const staleAfter = lane.leaseMs / 2;
    const pass = lane.keys.newPass();
    const size = lane.sink.batchSize;
    const together = size > 1 || lane.sink.sendsTogetherInOrder;
    let group = size > 1 ? lane.keys.newGroup() : pass;
    let batch: ClaimedDelivery[] = [];
    const kept: SinkLane['buffer'] = [];
    for (let i = 0; i < lane.buffer.length; i++) {
      const entry = lane.buffer[i];
      const { delivery, claimedAt } = entry;
      if ((!batch.length && lane.inFlight >= lane.concurrency) || this.stopped || (lane.bucket && lane.bucket.available(now) < 1)) {
        kept.push(...lane.buffer.slice(i));
        break;
      }
      // Held too long: leave it to its lease to expire, so it is claimed afresh rather than sent late.
      if (now - claimedAt > staleAfter || lane.keys.dropped(delivery, pass)) {
        lane.keys.drop(delivery, pass);
        continue;
      }
      if (!lane.keys.mayStart(delivery, group, together)) {
        kept.push(entry);
        continue;
      }
      lane.keys.started(delivery, group, together);
      lane.bucket?.take(now);
      batch.push(delivery);
      if (batch.length >= size) {
        this.track(lane, batch);
        batch = [];
        if (size > 1) group = lane.keys.newGroup();
      }
    }
    if (batch.length) this.track(lane, batch);
    lane.buffer = kept;
    this.updateHandOff(lane);
  }

  /** Runs a send; its slot frees once the results are known (recording them joins the next store commit). */
  private track(lane: SinkLane, batch: ClaimedDelivery[]): void {
    lane.inFlight++;
    lane.carried += batch.length;
    let done = false;
    const free = () => {
      if (done) return;
      done = true;
      lane.inFlight--;
      lane.carried -= batch.length;
      this.notePace(lane, batch.length);
      this.updateHandOff(lane);
      this.notify();
    };
    const work = this.deliver(lane, batch, free);
    this.running.add(work);
    void work.finally(() => {
      free();
      this.running.delete(work);
    });
  }

  private notePace(lane: SinkLane, count: number): void {
    const { pace } = lane;
    const now = this.clock.now();
    pace.count += count;
    if (now - pace.since < PACE_WINDOW_MS) return;
    pace.perSecond = (pace.count * 1000) / (now - pace.since);
    pace.since = now;
    pace.count = 0;
  }

  /** Joins the settles of this turn: one store call (one transaction) for all of them. */
  private settle(requests: SettleRequest[]): Promise<boolean[]> {
    return new Promise((resolve, reject) => {
      this.settleQueue.push({ requests, resolve, reject });
      if (this.settleQueue.length === 1) setImmediate(() => this.flushSettles());
    });
  }

  private flushSettles(): void {
    const queue = this.settleQueue;
    this.settleQueue = [];
    this.store.settleBatch(queue.flatMap((q) => q.requests)).then((settled) => {
      let at = 0;
      for (const q of queue) q.resolve(settled.slice(at, (at += q.requests.length)));
    }, (error: unknown) => queue.forEach((q) => q.reject(error)));
  }

  /** Sends one batch (one delivery for most sinks), then settles every result of it in one store call. */
  private async deliver(lane: SinkLane, batch: readonly ClaimedDelivery[], sent: () => void): Promise<void> {
    const startedAt = this.clock.now();
    for (const delivery of batch) this.active.set(delivery.id, delivery);
    const failures = await this.attempt(lane, batch).finally(() => batch.forEach((d) => this.active.delete(d.id)));
    const finishedAt = this.clock.now();
    const requests: SettleRequest[] = [];
    batch.forEach((delivery, i) => {
      const failure = failures[i];
      if (failure === HELD_BACK) return lane.keys.finished(delivery, 'pending');
      const result = this.afterResult(lane, failure ? this.afterFailure(lane, delivery, failure) : { status: 'delivered' }, failure);
      lane.keys.finished(delivery, result.status);
      // a later delivery of this key held here must not go ahead of this one: it goes back to the store, which holds it
      if (result.status === 'retrying' && delivery.orderKey !== null) void this.giveBack(lane, delivery.orderKey);
      this.metrics?.delivery(lane.sink.name, delivery.route, result.status, finishedAt - startedAt,
        result.status === 'delivered' ? finishedAt - delivery.event.receivedAt : undefined);
      if (result.status === 'dead') this.logger.warn(`${label(delivery, lane)} dead-lettered: ${result.error}`);
      else if (result.status === 'retrying') this.logger.debug?.(`${label(delivery, lane)} will retry: ${result.error}`);
      requests.push({ delivery, startedAt, finishedAt, result });
    });
    sent();
    if (!requests.length) return;
    try {
      const settled = await this.settle(requests);
      settled.forEach((ok, i) => ok || this.logger.warn(`${label(requests[i].delivery, lane)}: lease lost before the result was recorded; it will be tried again`));
      // its sink was removed while this ran: what is still waiting for it (a retry) is dead-lettered now
      if (this.lanes.get(lane.sink.name) !== lane) void this.deadLetterOrphans().catch(() => undefined);
    } catch (error) {
      const what = requests.length === 1 ? label(requests[0].delivery, lane) : `${requests.length} deliveries to ${lane.sink.name}`;
      this.logger.error(`${what}: cannot record the result (${(error as Error).message}); ${requests.length === 1 ? 'it' : 'they'} will be tried again`);
    }
  }

  /**
   * Renders each delivery and sends the batch; resolves to each one's failure (undefined: sent). A delivery that
   * cannot be rendered fails alone; when that failure may be retried, the later ones of its key in this batch are not
   * sent (HELD_BACK: given back to the store, which holds them behind it).
   */
  private async attempt(lane: SinkLane, batch: readonly ClaimedDelivery[]): Promise<unknown[]> {
    const failures: unknown[] = new Array(batch.length).fill(undefined);
    const items: { message: unknown; event: SinkEvent }[] = [];
    const positions: number[] = [];
    const blocked = new Set<string>();
    for (const [i, delivery] of batch.entries()) {
      if (delivery.orderKey !== null && blocked.has(delivery.orderKey)) {
        failures[i] = HELD_BACK;
        continue;
      }
      try {
        const event = this.toSinkEvent(delivery);
        // alerting: a group's delivery is one message for all its members
        const message = delivery.groupId !== null
          ? await this.groupMessages.render(lane.sink, delivery, this.routing.templates(delivery.route, lane.sink.type))
          : this.routing.render(delivery.route, lane.sink, event);
        items.push({ message, event });
        positions.push(i);
      } catch (error) {
        failures[i] = failureOf(error);
        if (!(error instanceof PermanentSinkError) && delivery.orderKey !== null) blocked.add(delivery.orderKey);
      }
    }
    this.giveBackToStore(batch.filter((_, i) => failures[i] === HELD_BACK));
    if (!items.length) return failures;
    const sent = await lane.sink.sendBatch(items).catch((error: unknown) => items.map(() => failureOf(error)));
    positions.forEach((at, k) => (failures[at] = sent[k]));
    return failures;
  }

  /** The stored event as sinks see it; the body is parsed only if a sink reads the envelope, and once per event. */
  private toSinkEvent(delivery: ClaimedDelivery): SinkEvent {
    const { event } = delivery;
    const envelopes = this.envelopes;
    return {
      id: event.id,
      deliveryId: delivery.id,
      attempt: delivery.attempts + 1,
      body: event.body,
      endpoint: event.endpoint,
      receivedAt: event.receivedAt,
      get envelope(): JoggEnvelope {
        try {
          return envelopes.get(event.id, event.body);
        } catch {
          throw new PermanentSinkError('stored body is not JSON');
        }
      },
    };
  }

  /**
   * Tells the circuit how the send went and acts on what changed: opening gives back what the lane holds (nothing
   * more is sent until a probe gets through) and makes the sink's retrying deliveries due, so the first probe takes
   * the oldest; closing credits the waiting deliveries the time the sink was down and makes them due now.
   */
  private afterResult(lane: SinkLane, result: Settlement, failure: unknown): Settlement {
    const now = this.clock.now();
    const { circuit } = lane;
    const openedAt = circuit.openedAt;
    // a permanent refusal is the sink answering; a delivery that gave up on a transient failure is not
    const answered = failure === undefined || failure instanceof PermanentSinkError;
    const error = result.status === 'delivered' ? '' : result.error;
    const change = answered ? circuit.succeeded(now) : circuit.failed(now, error, failure instanceof TransientSinkError ? failure.retryAfterMs : undefined);
    this.metrics?.circuit(lane.sink.name, circuit.gauge);
    if (change !== undefined) this.updateHandOff(lane);
    if (change === 'opened') {
      const held = lane.buffer.splice(0).map((b) => b.delivery);
      lane.keys.clear();
      this.giveBackToStore(held);
      void this.store.openCircuit(lane.sink.name, circuit.openedAt!)
        .catch((error: Error) => this.logger.warn(`cannot record that ${lane.sink.name} is down: ${error.message}`));
    } else if (change === 'closed') {
      void this.store.closeCircuit(lane.sink.name, openedAt!, now)
        .then(() => this.storeChanged([lane.sink.name]), (error: Error) => this.logger.error(`cannot release the deliveries waiting for ${lane.sink.name}: ${error.message}`));
    }
    // a failure while the sink is down did not use the delivery's retries: it is due again at the next probe or the close
    if (result.status === 'retrying' && circuit.state !== 'closed') return { ...result, nextAt: now, uncounted: true };
    return result;
  }

  private async giveBack(lane: SinkLane, key: string): Promise<void> {
    const held = lane.buffer.filter((b) => b.delivery.orderKey === key);
    if (!held.length) return;
    lane.buffer = lane.buffer.filter((b) => b.delivery.orderKey !== key);
    this.giveBackToStore(held.map((b) => b.delivery));
  }

  private afterFailure(lane: SinkLane, delivery: ClaimedDelivery, error: unknown): Settlement {
    const message = this.redact((error as Error)?.message ?? String(error));
    if (error instanceof PermanentSinkError) return { status: 'dead', error: message };
    const now = this.clock.now();
    const { circuit, policy } = lane;
    // time the sink was down does not age a delivery: what the store credited at earlier closes, and this outage so far
    const downNow = circuit.openedAt !== undefined ? Math.max(0, now - Math.max(delivery.createdAt, circuit.openedAt)) : 0;
    const ageFrom = delivery.createdAt + delivery.pausedMs + downNow;
    if (circuit.state !== 'closed') {
      // the sink is down: no attempt is used; only the age (counted while it was up) can end the delivery
      if (now - ageFrom > policy.maxAgeMs) return { status: 'dead', error: `${message} (gave up: older than the maximum age)` };
      return { status: 'retrying', nextAt: now, error: message, uncounted: true };
    }
    const retryAfterMs = error instanceof TransientSinkError ? error.retryAfterMs : undefined;
    const decision = decideRetry(policy, {
      attempt: delivery.attempts - delivery.attemptsBeforeReplay + 1, // this round's, sink-down failures excluded
      createdAt: ageFrom,
      now,
      retryAfterMs,
    });
    if (!decision.retry) return { status: 'dead', error: `${message} (${decision.reason})` };
    return { status: 'retrying', nextAt: decision.nextAt, error: message };
  }
}

function circuitOptions(source: LoadedConfig['source']): CircuitOptions {
  const circuit = source.delivery.circuit;
  return { failures: circuit.failures, probeInitialMs: parseDuration(circuit.probeInitial)!, probeMaxMs: parseDuration(circuit.probeMax)! };
}

/** Not sent: an earlier delivery of its key in the same batch failed before it was sent. */
const HELD_BACK = Symbol('held back');

function label(delivery: ClaimedDelivery, lane: SinkLane): string {
  return `delivery ${delivery.id} (event ${delivery.event.eventId ?? delivery.event.id}, ${delivery.event.event}) to ${lane.sink.name}`;
}
