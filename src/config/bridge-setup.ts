import { LoadedConfig } from './loaded-config';

/**
 * One application's setup, the key its modules are built for (see `oncePer`): the loaded config, and whether this
 * is the serving process (it owns the store: dispatches, releases the leases its previous run left) or a tool
 * (the CLI: reads and re-queues only).
 */
export interface BridgeSetup {
  readonly config: LoadedConfig;
  readonly serving: boolean;
}
