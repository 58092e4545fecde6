import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError } from '../config/config.error';
import { loadConfig, loadPartialConfig, PartialConfig } from '../config/config.loader';
import { LoadedConfig } from '../config/loaded-config';
import { DryRunService } from '../delivery/dry-run.service';
import { ReplayService } from '../delivery/replay.service';
import { openStore } from '../store/open-store';
import { AlertGroups, Silences, StorePorts } from '../store/ports';
import { SyncService } from '../sync/sync.service';
import { ToolsModule } from './tools.module';
import { CliError } from './cli-error';
import { redactOutputFor } from './format';

export interface Tools {
  config: LoadedConfig;
  dryRun: DryRunService;
  replay: ReplayService;
  sync: SyncService;
  /** Alerting: `routes test` shows the open group an event would join and the silence that would hold it. */
  groups: AlertGroups;
  silences: Silences;
  close(): Promise<void>;
}

/** Loads the config; a config error becomes one CLI error listing every problem. */
export function loadCliConfig(path?: string): LoadedConfig {
  const config = asCliError(() => loadConfig({ path }));
  redactOutputFor(config);
  return config;
}

function asCliError<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
}

/** The config's store and server sections only (see loadPartialConfig). */
export function loadCliPartialConfig(path?: string): PartialConfig {
  const partial = asCliError(() => loadPartialConfig({ path }));
  // Output is redacted with every secret the whole config names, when it loads (its variables are set);
  // stored errors were redacted when they were written either way.
  try {
    redactOutputFor(loadConfig({ path }));
  } catch {
    /* the store alone is enough to read it */
  }
  return partial;
}

/**
 * The sink and route names the whole config gives, for notes on a name it lacks (a typo in `--sink`, in a silence);
 * undefined when the whole config does not load here (a variable unset where the CLI runs).
 */
export function configuredNames(configPath?: string): { sinks: string[]; routes: string[] } | undefined {
  try {
    const config = loadConfig({ path: configPath });
    return { sinks: [...config.sinks.keys()], routes: config.routes.map((route) => route.name) };
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` with the store alone, from the config's `store` section only: commands that read the store
 * (or re-queue in it) need neither the sinks nor the variables holding their secrets.
 */
export async function withStore<T>(configPath: string | undefined, work: (store: StorePorts) => Promise<T>): Promise<T> {
  const { store: settings } = loadCliPartialConfig(configPath);
  const store = await openStore(settings, false);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The bridge's own services for one config, without the HTTP server or the dispatcher. */
export async function openTools(configPath?: string): Promise<Tools> {
  const config = loadCliConfig(configPath);
  const app: INestApplicationContext = await NestFactory.createApplicationContext(ToolsModule.forRoot(config), { logger: false, moduleIdGeneratorAlgorithm: 'reference' });
  return {
    config,
    dryRun: app.get(DryRunService),
    replay: app.get(ReplayService),
    sync: app.get(SyncService),
    groups: app.get(AlertGroups),
    silences: app.get(Silences),
    close: () => app.close(),
  };
}

/** Runs `work` with the tools open, closing them afterwards whatever happens. */
export async function withTools<T>(configPath: string | undefined, work: (tools: Tools) => Promise<T>): Promise<T> {
  const tools = await openTools(configPath);
  try {
    return await work(tools);
  } finally {
    await tools.close();
  }
}
