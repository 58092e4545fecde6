import { KeyringStore } from '../ports/keyring-store';
import { EndpointSecret } from '../store.types';
import { SqliteEngine } from './sqlite-engine';

/** Captured endpoint secrets and rotations on SQLite. */
export class SqliteKeyringStore extends KeyringStore {
  constructor(private readonly engine: SqliteEngine) {
    super();
  }

  async saveEndpointSecrets(secrets: readonly EndpointSecret[], now: number): Promise<void> {
    if (secrets.length) await this.engine.write({ kind: 'saveSecrets', secrets: secrets.map(({ endpoint, endpointId, secret }) => ({ endpoint, endpointId, secret })), now });
  }

  async forgetEndpointSecrets(endpointIds: readonly string[]): Promise<void> {
    if (endpointIds.length) await this.engine.write({ kind: 'forgetSecrets', endpointIds });
  }

  async listEndpointSecrets(): Promise<EndpointSecret[]> {
    return this.engine.db.prepare(`SELECT endpoint, endpoint_id AS endpointId, secret FROM endpoint_secrets ORDER BY captured_at, endpoint_id`).all() as EndpointSecret[];
  }

  async saveRotation(rotation: { name: string; until: number }): Promise<void> {
    await this.engine.write({ kind: 'saveRotation', name: rotation.name, until: rotation.until });
  }

  async endRotation(name: string): Promise<void> {
    await this.engine.write({ kind: 'endRotation', name });
  }

  async listRotations(): Promise<{ name: string; until: number }[]> {
    return this.engine.db.prepare(`SELECT name, until FROM rotations ORDER BY name`).all() as { name: string; until: number }[];
  }
}
