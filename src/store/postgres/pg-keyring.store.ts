import { KeyringStore } from '../ports/keyring-store';
import { EndpointSecret } from '../store.types';
import { PgEngine } from './pg-engine';

/** Captured endpoint secrets and rotations on PostgreSQL (shared by every instance). */
export class PgKeyringStore extends KeyringStore {
  constructor(private readonly engine: PgEngine) {
    super();
  }

  async saveEndpointSecrets(secrets: readonly EndpointSecret[], now: number): Promise<void> {
    if (!secrets.length) return;
    await this.engine.write(async (c) => {
      for (const s of secrets) {
        await c.query(
          `INSERT INTO endpoint_secrets (endpoint_id, endpoint, secret, captured_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (endpoint_id) DO UPDATE SET endpoint = excluded.endpoint, secret = excluded.secret, captured_at = excluded.captured_at`,
          [s.endpointId, s.endpoint, s.secret, now],
        );
      }
    });
  }

  async forgetEndpointSecrets(endpointIds: readonly string[]): Promise<void> {
    if (endpointIds.length) await this.engine.write((c) => c.query('DELETE FROM endpoint_secrets WHERE endpoint_id = ANY($1)', [endpointIds]));
  }

  async listEndpointSecrets(): Promise<EndpointSecret[]> {
    return (await this.engine.read('SELECT endpoint, endpoint_id, secret FROM endpoint_secrets ORDER BY captured_at, endpoint_id')).map((r) => ({
      endpoint: r.endpoint as string, endpointId: r.endpoint_id as string, secret: r.secret as string,
    }));
  }

  async saveRotation(rotation: { name: string; until: number }): Promise<void> {
    await this.engine.write((c) => c.query('INSERT INTO rotations (name, until) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET until = excluded.until', [rotation.name, rotation.until]));
  }

  async endRotation(name: string): Promise<void> {
    await this.engine.write((c) => c.query('DELETE FROM rotations WHERE name = $1', [name]));
  }

  async listRotations(): Promise<{ name: string; until: number }[]> {
    return this.engine.read<{ name: string; until: number }>('SELECT name, until FROM rotations ORDER BY name');
  }
}
