import { Injectable, OnApplicationBootstrap, OnApplicationShutdown, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DomainEvents, Subscriptions } from '../common/domain-events';
import { baseName } from '../common/endpoint-name';
import { BridgeConfigService } from '../config/bridge-config.service';
import { LoadedConfig } from '../config/loaded-config';
import { KeyringStore } from '../store/ports/keyring-store';
import { EndpointSecret } from '../store/store.types';

const REFRESH_MS = 5000;
/** At most one store read per this long for signature misses, however many bad signatures arrive. */
const MISS_REFRESH_MS = 1000;

/**
 * Which secrets verify webhooks sent to which URL: the config's, plus those sync captured from JoggAI (kept
 * in the store, so they work across restarts, while JoggAI's API is down, and on every instance). Several
 * may be valid at once (rotation).
 */
@Injectable()
export class KeyringService implements OnModuleInit, OnModuleDestroy, OnApplicationBootstrap, OnApplicationShutdown {
  private shared: readonly string[] = [];
  private byEndpoint: ReadonlyMap<string, readonly string[]> = new Map();
  private captured: readonly EndpointSecret[] = [];
  private timer?: NodeJS.Timeout;
  private lastMissRefresh = 0;
  private missRefresh?: Promise<boolean>;
  private readonly subscriptions = new Subscriptions();

  constructor(private readonly config: BridgeConfigService, private readonly store: KeyringStore, private readonly events: DomainEvents) {
    this.build(config.current);
  }

  onModuleInit(): void {
    this.subscriptions.add(
      this.events.on('config.changed', KeyringService.name, ({ next }) => this.build(next)),
      // sync (in this process) captured secrets: take them now, not at the next periodic read
      this.events.on('keyring.changed', KeyringService.name, ({ secrets }) => this.take(secrets)),
    );
  }

  onModuleDestroy(): void {
    this.subscriptions.unsubscribe();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Reads the captured secrets again (after a sync, or another instance's); true when they changed. */
  async refresh(): Promise<boolean> {
    return this.take(await this.store.listEndpointSecrets());
  }

  /** Uses `captured` (every captured secret there is) from now on; true when they changed. */
  private take(captured: readonly EndpointSecret[]): boolean {
    const changed = fingerprint(captured) !== fingerprint(this.captured);
    this.captured = captured;
    this.build(this.config.current);
    return changed;
  }

  /**
   * After a signature no known secret verifies: a `sync apply` in another process (or on another instance)
   * may have just captured a new secret, so read them again now rather than at the next periodic refresh.
   * At most once per MISS_REFRESH_MS (concurrent misses share the read), so bad signatures cannot flood the
   * store; true when the secrets changed and the signature is worth checking once more.
   */
  refreshAfterMiss(): Promise<boolean> {
    if (this.missRefresh) return this.missRefresh;
    const now = Date.now();
    if (now - this.lastMissRefresh < MISS_REFRESH_MS) return Promise.resolve(false);
    this.lastMissRefresh = now;
    this.missRefresh = this.refresh()
      .catch(() => false)
      .finally(() => (this.missRefresh = undefined));
    return this.missRefresh;
  }

  /**
   * `/webhooks/jogg/<endpoint>` (or `<endpoint>~<generation>` during a rotation): that endpoint's secrets
   * (undefined when the endpoint is unknown);
   * `/webhooks/jogg` (endpoint null): the static secrets plus every endpoint's.
   */
  secretsFor(endpoint: string | null): readonly string[] | undefined {
    return endpoint === null ? this.shared : this.byEndpoint.get(baseName(endpoint));
  }

  /** True when no secret at all is configured, so every webhook will be refused. */
  isEmpty(): boolean {
    return this.shared.length === 0;
  }

  private build({ jogg }: LoadedConfig): void {
    const byEndpoint = new Map<string, string[]>(jogg.endpoints.map((e) => [e.name, [...e.secrets]]));
    for (const { endpoint, secret } of this.captured) byEndpoint.set(endpoint, [...(byEndpoint.get(endpoint) ?? []), secret]);
    this.byEndpoint = byEndpoint;
    this.shared = [...new Set([...jogg.secrets, ...[...byEndpoint.values()].flat()])];
  }
}

function fingerprint(secrets: readonly EndpointSecret[]): string {
  return secrets.map((s) => `${s.endpointId}\u0000${s.endpoint}\u0000${s.secret}`).sort().join('\u0001');
}
