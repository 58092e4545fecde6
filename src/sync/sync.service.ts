import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { BridgeConfigService } from '../config/bridge-config.service';
import { LoadedConfig } from '../config/loaded-config';
import { EndpointSyncLog, EndpointSyncRecord } from '../store/ports/endpoint-sync-log';
import { KeyringStore } from '../store/ports/keyring-store';
import { EndpointSecret } from '../store/store.types';
import { JoggApiClient } from './jogg-api.client';
import { JoggEndpoint } from './jogg-api.types';
import { cutText } from '../common/cut-text';
import { baseName, GENERATION_SEPARATOR } from '../common/endpoint-name';
import { DesiredEndpoint, describePlan, endpointUrl, planSync, SyncPlan } from './plan';

declare module '../common/domain-events' {
  interface DomainEventMap {
    /** Secrets JoggAI generated were stored: `secrets` is every captured secret now in the store (for the keyring). */
    'keyring.changed': { secrets: readonly EndpointSecret[] };
  }
}

export class SyncError extends Error {}

const RESULT_OF = { create: 'created', update: 'updated', delete: 'in_sync', unchanged: 'in_sync' } as const;

export interface ApplyResult {
  plan: SyncPlan;
  done: string[];
}

/** Keeps JoggAI's webhook endpoints aligned with the config, and keeps the secrets JoggAI generates. */
@Injectable()
export class SyncService {
  constructor(
    private readonly config: BridgeConfigService,
    private readonly store: KeyringStore,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
    private readonly syncLog: EndpointSyncLog,
  ) {}

  async plan(): Promise<SyncPlan> {
    return (await this.read()).plan;
  }

  /**
   * Rotation (JoggAI cannot change a secret): a second endpoint `<name>~<generation>` for the same events,
   * whose secret is kept at once; both secrets verify until the rotation ends (after `graceMs`, at the next
   * apply, or with `finishRotation`), when the older generations are deleted. Events JoggAI sends to both
   * meanwhile are absorbed by dedupe.
   */
  async rotate(name: string, graceMs: number): Promise<{ created: string; until: number }> {
    const { client, remote } = await this.read();
    const { publicUrl } = this.config.current.jogg;
    const prefix = endpointUrl(publicUrl!, '');
    const generations = remote
      .filter((e) => e.url.startsWith(prefix) && baseName(e.url.slice(prefix.length)) === name)
      .map((e) => ({ endpoint: e, generation: Number(e.url.slice(prefix.length).split(GENERATION_SEPARATOR)[1] ?? 0) || 0 }))
      .sort((a, b) => b.generation - a.generation);
    if (!generations.length) throw new SyncError(`endpoint "${name}" does not exist at JoggAI yet: run sync apply first`);
    const live = generations[0];
    const segment = `${name}${GENERATION_SEPARATOR}${live.generation + 1}`;
    const created = await client.createEndpoint({ url: endpointUrl(publicUrl!, segment), status: live.endpoint.status, events: live.endpoint.events });
    const now = this.clock.now();
    await this.store.saveEndpointSecrets([{ endpoint: name, endpointId: created.endpoint_id, secret: created.secret }], now);
    await this.store.saveRotation({ name, until: now + graceMs });
    await this.announceSecrets();
    return { created: `${segment} (${created.endpoint_id})`, until: now + graceMs };
  }

  /** Ends a rotation now: the next apply deletes the older generations (done here at once). */
  async finishRotation(name: string): Promise<ApplyResult> {
    await this.store.endRotation(name);
    return this.apply();
  }

  /**
   * Applies the plan; refuses (before any call that changes something) when the plan has refusals. What it did to
   * each configured endpoint (in sync, created, updated, or failed and why) is recorded for the console.
   */
  async apply(): Promise<ApplyResult> {
    const results = new Map<string, Omit<EndpointSyncRecord, 'endpoint' | 'at'>>();
    try {
      const applied = await this.applyPlan(results);
      await this.record(results, undefined);
      return applied;
    } catch (error) {
      await this.record(results, error as Error);
      throw error;
    }
  }

  private async applyPlan(results: Map<string, Omit<EndpointSyncRecord, 'endpoint' | 'at'>>): Promise<ApplyResult> {
    const { plan, client, remote } = await this.read();
    if (plan.refusals.length) {
      for (const name of this.configuredNames()) {
        const own = plan.refusals.filter((r) => r.startsWith(`endpoint "${name}"`));
        results.set(name, { result: 'failed', error: `refused: ${(own.length ? own : plan.refusals).join('; ')}` });
      }
      throw new SyncError(`refusing to apply:\n${describePlan({ ...plan, actions: [], foreign: [] })}`);
    }
    const done: string[] = [];
    const captured: EndpointSecret[] = [];
    const byId = new Map(remote.map((e) => [e.endpoint_id, e]));
    for (const action of plan.actions) {
      const configured = this.configuredNames().includes(action.name);
      if (configured) results.set(action.name, { result: 'failed', error: null }); // until its step is done
      if (action.kind === 'create') {
        const created = await client.createEndpoint(action.input);
        captured.push({ endpoint: action.name, endpointId: created.endpoint_id, secret: created.secret });
        done.push(`created ${action.name} (${created.endpoint_id})`);
      } else if (action.kind === 'update') {
        const updated = await client.updateEndpoint(action.endpointId, action.input);
        captured.push({ endpoint: action.name, endpointId: action.endpointId, secret: updated.secret ?? byId.get(action.endpointId)!.secret });
        done.push(`updated ${action.name} (${action.endpointId}): ${action.changes.join('; ')}`);
      } else if (action.kind === 'delete') {
        await client.deleteEndpoint(action.endpointId);
        await this.store.forgetEndpointSecrets([action.endpointId]);
        done.push(`deleted ${action.name} (${action.endpointId})`);
      } else if (action.rotating) {
        continue;
      } else {
        captured.push({ endpoint: action.name, endpointId: action.endpointId, secret: byId.get(action.endpointId)!.secret });
      }
      // store each secret as soon as JoggAI has it, so a failure half-way loses none
      await this.store.saveEndpointSecrets(captured.splice(0), this.clock.now());
      if (configured) results.set(action.name, { result: RESULT_OF[action.kind], error: null });
    }
    await this.announceSecrets();
    return { plan, done };
  }

  private configuredNames(): string[] {
    return this.config.current.jogg.endpoints.map((e) => e.name);
  }

  /**
   * Records each configured endpoint's result: its own step's, or the run's error for those whose step failed or
   * was not reached. Recording never hides the sync's own outcome (a store that cannot write is logged by others).
   */
  private async record(results: Map<string, Omit<EndpointSyncRecord, 'endpoint' | 'at'>>, failure: Error | undefined): Promise<void> {
    const at = this.clock.now();
    const reason = failure ? cutText(failure.message.replace(/\s+/g, ' ').trim(), 500) : null;
    const records = this.configuredNames().map((endpoint): EndpointSyncRecord => {
      const own = results.get(endpoint);
      if (own && own.result !== 'failed') return { endpoint, at, ...own };
      return { endpoint, at, result: 'failed', error: own?.error ?? (failure ? reason : 'not applied') };
    });
    await this.syncLog.recordSync(records).catch(() => undefined);
  }

  /** Tells whoever verifies webhooks in this process (the keyring) which secrets are stored now. */
  private async announceSecrets(): Promise<void> {
    this.events.emit('keyring.changed', { secrets: await this.store.listEndpointSecrets() });
  }

  private async read(): Promise<{ plan: SyncPlan; client: JoggApiClient; remote: JoggEndpoint[] }> {
    const current = this.config.current;
    const { apiKey, apiUrl, publicUrl } = current.jogg;
    if (!apiKey) throw new SyncError('jogg.apiKey is not set (e.g. apiKey: "${JOGG_API_KEY}")');
    if (!publicUrl) throw new SyncError('jogg.publicUrl is not set: the https URL where JoggAI reaches this bridge');
    const client = new JoggApiClient({ baseUrl: apiUrl, apiKey });
    const [catalogue, remote, rotations] = await Promise.all([client.listEvents(), client.listEndpoints(), this.store.listRotations()]);
    const plan = planSync({
      publicUrl,
      desired: desiredEndpoints(current, catalogue),
      remote,
      catalogue,
      allowUnknownEvents: current.jogg.sync.allowUnknownEvents,
      rotations,
      now: this.clock.now(),
    });
    return { plan, client, remote };
  }
}

/** The configured endpoints, with `events: auto` expanded to the catalogue events some route matches. */
export function desiredEndpoints(config: LoadedConfig, catalogue: readonly string[]): DesiredEndpoint[] {
  const routed = catalogue.filter((event) => config.routes.some((route) => route.events.some((glob) => glob.test(event))));
  return config.jogg.endpoints.map((e) => ({ name: e.name, status: e.status, events: e.events === 'auto' ? routed : [...e.events] }));
}

export { endpointUrl };
