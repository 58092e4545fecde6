import { Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { BridgeConfigService } from '../config/bridge-config.service';
import { LoadedConfig } from '../config/loaded-config';
import { EndpointSecret, EventStore } from '../store/event-store';
import { baseName } from '../sync/plan';

const REFRESH_MS = 5000;

/**
 * Which secrets verify webhooks sent to which URL: the config's, plus those sync captured from JoggAI (kept
 * in the store, so they work across restarts, while JoggAI's API is down, and on every instance). Several
 * may be valid at once (rotation).
 */
@Injectable()
export class KeyringService implements OnApplicationBootstrap, OnApplicationShutdown {
  private shared: readonly string[] = [];
  private byEndpoint: ReadonlyMap<string, readonly string[]> = new Map();
  private captured: readonly EndpointSecret[] = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly config: BridgeConfigService, @Optional() private readonly store?: EventStore) {
    this.build(config.current);
    config.onChange((next) => this.build(next));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Reads the captured secrets again (after a sync, or another instance's). */
  async refresh(): Promise<void> {
    if (!this.store) return;
    this.captured = await this.store.listEndpointSecrets();
    this.build(this.config.current);
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
