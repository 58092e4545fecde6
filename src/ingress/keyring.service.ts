import { Injectable } from '@nestjs/common';
import { BridgeConfigService } from '../config/bridge-config.service';

/** Which secrets verify webhooks sent to which URL. Several may be valid at once (rotation). */
@Injectable()
export class KeyringService {
  constructor(private readonly config: BridgeConfigService) {}

  /**
   * `/webhooks/jogg/<endpoint>`: that endpoint's secrets (undefined when the endpoint is unknown);
   * `/webhooks/jogg` (endpoint null): the static secrets plus every endpoint's.
   */
  secretsFor(endpoint: string | null): readonly string[] | undefined {
    const { jogg } = this.config.current;
    if (endpoint === null) return [...jogg.secrets, ...jogg.endpoints.flatMap((e) => e.secrets)];
    return jogg.endpoints.find((e) => e.name === endpoint)?.secrets;
  }

  /** True when no secret at all is configured, so every webhook will be refused. */
  isEmpty(): boolean {
    return this.secretsFor(null)!.length === 0;
  }
}
