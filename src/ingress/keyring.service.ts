import { Injectable } from '@nestjs/common';
import { BridgeConfigService } from '../config/bridge-config.service';

/** Which secrets verify webhooks sent to which URL. Several may be valid at once (rotation). */
@Injectable()
export class KeyringService {
  private readonly shared: readonly string[];
  private readonly byEndpoint: ReadonlyMap<string, readonly string[]>;

  constructor(config: BridgeConfigService) {
    const { jogg } = config.current;
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
