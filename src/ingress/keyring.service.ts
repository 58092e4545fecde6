import { Injectable } from '@nestjs/common';
import { BridgeConfigService } from '../config/bridge-config.service';
import { LoadedConfig } from '../config/loaded-config';

/** Which secrets verify webhooks sent to which URL. Several may be valid at once (rotation). */
@Injectable()
export class KeyringService {
  private shared: readonly string[] = [];
  private byEndpoint: ReadonlyMap<string, readonly string[]> = new Map();

  constructor(config: BridgeConfigService) {
    this.build(config.current);
    config.onChange((next) => this.build(next));
  }

  private build({ jogg }: LoadedConfig): void {
    this.shared = [...jogg.secrets, ...jogg.endpoints.flatMap((e) => e.secrets)];
    this.byEndpoint = new Map(jogg.endpoints.map((e) => [e.name, e.secrets]));
  }

  /**
   * `/webhooks/jogg/<endpoint>`: that endpoint's secrets (undefined when the endpoint is unknown);
   * `/webhooks/jogg` (endpoint null): the static secrets plus every endpoint's.
   */
  secretsFor(endpoint: string | null): readonly string[] | undefined {
    return endpoint === null ? this.shared : this.byEndpoint.get(endpoint);
  }

  /** True when no secret at all is configured, so every webhook will be refused. */
  isEmpty(): boolean {
    return this.secretsFor(null)!.length === 0;
  }
}
