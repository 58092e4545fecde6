import { CompiledRoute, TemplateSet } from '../rules/route';
import { BridgeConfigFile } from './bridge-config';
import { ConfigProblem } from './config.error';
import { SinkConfig } from '../sinks/definitions';
import { LoadedGroups } from './groups';

export interface LoadedSink {
  readonly name: string;
  readonly config: SinkConfig;
  /** The sink's own templates, compiled. */
  readonly templates: TemplateSet;
}

/** A validated config, with units resolved and routes and templates compiled. */
export interface LoadedConfig {
  readonly file: string;
  readonly source: BridgeConfigFile;
  readonly server: {
    port: number;
    host: string;
    bodyLimit: number;
    maxEventAgeMs: number;
    maxFutureSkewMs: number;
    requestTimeoutMs: number;
    idleTimeoutMs: number;
    drainTimeMs: number;
  };
  readonly store: { driver: 'sqlite' | 'postgres'; path: string; url?: string; poolSize: number; schema?: string; retentionMs: number };
  readonly jogg: {
    secrets: readonly string[];
    endpoints: readonly { name: string; secrets: readonly string[]; events: readonly string[] | 'auto'; status: 'enabled' | 'disabled' }[];
    apiKey?: string;
    apiUrl: string;
    publicUrl?: string;
    sync: { auto: boolean; intervalMs: number; allowUnknownEvents: boolean };
  };
  readonly delivery: { concurrency: number; pollIntervalMs: number; leaseMs: number };
  readonly sinks: ReadonlyMap<string, LoadedSink>;
  /** The admin API's bearer token (BRIDGE_ADMIN_TOKEN); the admin API is off without one. */
  readonly admin: { token?: string };
  /** Loads the same file again with the same environment (hot reload); throws ConfigError. */
  readonly reload: () => LoadedConfig;
  readonly routes: readonly CompiledRoute[];
  /** Alerting: which deliveries are sent as group messages, and how. */
  readonly groups: LoadedGroups;
  /** What works but is risky (e.g. a JSON string template open to injection): printed by `check`, logged at start and reload. */
  readonly warnings: readonly ConfigProblem[];
}
