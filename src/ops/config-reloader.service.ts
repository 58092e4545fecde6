import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { existsSync, FSWatcher, readFileSync, watch } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { basename, dirname } from 'node:path';
import { BridgeConfigService } from '../config/bridge-config.service';
import { ConfigError, formatProblem } from '../config/config.error';
import { LoadedConfig } from '../config/loaded-config';
import { MetricsService } from '../metrics/metrics.service';

/** `restartPending`: server and store settings the file changed, which wait for a restart (the rest was applied). */
export type ReloadResult = { ok: true; changed: boolean; restartPending?: string[] } | { ok: false; error: string };

/**
 * Hot reload: on a change of the config file (or SIGHUP) the file is loaded and validated as a whole and
 * swapped in at once; a bad file is refused with its problems logged, and the running config stays.
 */
@Injectable()
export class ConfigReloaderService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ConfigReload');
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;

  constructor(private readonly config: BridgeConfigService, private readonly metrics: MetricsService) {}

  onApplicationBootstrap(): void {
    const file = this.config.current.file;
    if (!existsSync(file)) return;
    // Watch the folder: editors often replace the file rather than write into it.
    this.watcher = watch(dirname(file), (_event, name) => {
      if (name !== basename(file)) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reload(), 200);
    });
    this.watcher.on('error', (error) => this.logger.warn(`cannot watch ${file}: ${error.message}`));
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }

  reload(): ReloadResult {
    const current = this.config.current;
    // an editor that truncates the file before writing it, or a save of an emptied buffer: never "no routes, no sinks"
    if (isEmptyFile(current.file)) return this.refuse(`${current.file}: the file holds no settings (empty, or comments only); keeping the running config`);
    let loaded: LoadedConfig;
    try {
      loaded = current.reload();
    } catch (error) {
      return this.refuse(error instanceof ConfigError ? error.message : `cannot reload ${current.file}: ${(error as Error).message}`);
    }
    // server and store settings are read once, at start: the rest of the file applies now, they wait for a restart
    const restart = restartOnly(current, loaded);
    const next: LoadedConfig = restart.length
      ? { ...loaded, server: current.server, store: current.store, source: { ...loaded.source, server: current.source.server, store: current.source.store } }
      : loaded;
    const changed = JSON.stringify(next.source) !== JSON.stringify(current.source);
    this.config.apply(next);
    this.metrics.configReloaded(true);
    this.logger.log(`${current.file} reloaded${changed ? '' : restart.length ? ' (nothing else changed)' : ' (no change)'}`);
    if (restart.length) this.logger.warn(`${current.file}: ${restart.join(', ')} changed: they take effect at the next restart (the running values stay until then)`);
    for (const warning of next.warnings) this.logger.warn(formatProblem(warning));
    return { ok: true, changed, ...(restart.length ? { restartPending: restart } : {}) };
  }

  private refuse(error: string): ReloadResult {
    this.metrics.configReloaded(false);
    this.logger.error(`config refused, the running config stays: ${error}`);
    return { ok: false, error };
  }
}

/** The server and store settings the file changed, by their keys as written (`server.port`, `store.url`): never their values. */
function restartOnly(current: LoadedConfig, next: LoadedConfig): string[] {
  const changed = (section: 'server' | 'store') => {
    const [a, b] = [(current.source[section] ?? {}) as unknown as Record<string, unknown>, (next.source[section] ?? {}) as unknown as Record<string, unknown>];
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key])).map((key) => `${section}.${key}`);
  };
  return [...changed('server'), ...changed('store')];
}

function isEmptyFile(file: string): boolean {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch {
    return false; // the reload says what is wrong with it
  }
  // nothing, comments, document markers, `null`, `~` or `{}`: no setting at all
  return doc === null || doc === undefined || (typeof doc === 'object' && !Array.isArray(doc) && Object.keys(doc).length === 0);
}
