import { Injectable } from '@nestjs/common';
import { DomainEvents } from '../common/domain-events';
import { SyncLoopService } from '../sync/sync-loop.service';
import { BridgeConfigService } from '../config/bridge-config.service';
import { SinkRegistry } from '../sink-registry/sink.registry';
import { CircuitState, SinkCircuits } from '../delivery/sink-circuits';
import { Housekeeping } from '../store/ports/housekeeping';
import { LeaderService } from './leader.service';

declare module '../common/domain-events' {
  interface DomainEventMap {
    /** Shutdown began (SIGTERM/SIGINT): the instance reports not ready and refuses webhooks with 503 from now on. */
    'bridge.stopping': Record<string, never>;
  }
}

const CHECK_TIMEOUT_MS = 2000;

export interface CheckResult {
  status: 'up' | 'down';
  error?: string;
}

export interface Readiness {
  ready: boolean;
  checks: {
    config: CheckResult & { file: string };
    store: CheckResult;
    /** `circuit`: open while the dispatcher holds the sink's deliveries (it failed again and again), half-open while a probe runs. */
    sinks: Record<string, CheckResult & { readiness: 'required' | 'optional'; circuit?: CircuitState }>;
    /** Informational: a failing sync never makes the instance unready (ingest goes on). */
    /** Informational: which instance runs the sync loop and housekeeping (one per database). */
    leader: { status: 'leader' | 'standby' };
    sync?: { status: 'up' | 'down' | 'off' | 'standby' | 'starting'; lastSuccessAt?: number; error?: string };
  };
}

/** Whether this instance should get traffic: config loaded, store writable, required sinks reachable. */
@Injectable()
export class ReadinessService {
  private stopping = false;

  constructor(
    private readonly config: BridgeConfigService,
    private readonly store: Housekeeping,
    private readonly sinks: SinkRegistry,
    private readonly syncLoop: SyncLoopService,
    private readonly leaderService: LeaderService,
    private readonly dispatcher: SinkCircuits,
    private readonly events: DomainEvents,
  ) {}

  /** From now on the instance reports not ready (it is shutting down), and says so (`bridge.stopping`). */
  markStopping(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.events.emit('bridge.stopping', {});
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  async check(): Promise<Readiness> {
    const [store, ...sinkResults] = await Promise.all([
      probe(() => this.store.ping()),
      ...this.sinks.names().map((name) => probe(() => this.sinks.get(name)!.check())),
    ]);
    const sinks: Readiness['checks']['sinks'] = {};
    const circuits = this.dispatcher.circuits();
    this.sinks.names().forEach((name, i) => {
      const circuit = circuits[name];
      // an open circuit is a sink that failed delivery after delivery: down, whatever its own check says
      // (an HTTP sink has no check, so for it the circuit is the only word on its health)
      const result = circuit && circuit !== 'closed' && sinkResults[i].status === 'up' ? { status: 'down' as const, error: `circuit ${circuit}: deliveries keep failing` } : sinkResults[i];
      sinks[name] = { ...result, readiness: this.config.current.sinks.get(name)!.config.readiness, ...(circuit ? { circuit } : {}) };
    });
    const requiredDown = Object.values(sinks).some((s) => s.readiness === 'required' && s.status === 'down');
    const file = this.config.current.file;
    const config = this.stopping ? { status: 'down' as const, error: 'shutting down', file } : { status: 'up' as const, file };
    const state = this.syncLoop.state;
    const sync: NonNullable<Readiness['checks']['sync']> = !state.enabled
      ? { status: 'off' }
      : state.standby
        ? { status: 'standby' }
        : !state.lastError && !state.lastSuccessAt
          ? { status: 'starting' }
          : { status: state.lastError ? 'down' : 'up', lastSuccessAt: state.lastSuccessAt, ...(state.lastError ? { error: state.lastError } : {}) };
    const leader = { status: this.leaderService.isLeader ? ('leader' as const) : ('standby' as const) };
    return { ready: !this.stopping && store.status === 'up' && !requiredDown, checks: { config, store, sinks, leader, sync } };
  }
}

async function probe(check: () => Promise<void>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
