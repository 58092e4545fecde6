import { EndpointSecret } from '../store.types';

/** The webhook secrets sync captured from JoggAI, and the rotations in progress (read by the guard's keyring). */
export abstract class KeyringStore {
  /** Remembers secrets JoggAI returned (one per JoggAI endpoint id; a newer one replaces the older). */
  abstract saveEndpointSecrets(secrets: readonly EndpointSecret[], now: number): Promise<void>;
  /** Forgets the secrets of deleted JoggAI endpoints. */
  abstract forgetEndpointSecrets(endpointIds: readonly string[]): Promise<void>;
  abstract listEndpointSecrets(): Promise<EndpointSecret[]>;
  /** Rotations in progress: the older generations of an endpoint stay until `until`. */
  abstract saveRotation(rotation: { name: string; until: number }): Promise<void>;
  abstract endRotation(name: string): Promise<void>;
  abstract listRotations(): Promise<{ name: string; until: number }[]>;
}
