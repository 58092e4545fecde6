import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { existsSync, FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { BridgeConfigService } from '../config/bridge-config.service';
import { ConfigError, formatProblem } from '../config/config.error';
import { LoadedConfig } from '../config/loaded-config';
import { MetricsService } from '../metrics/metrics.service';

export type ReloadResult = { ok: true; changed: boolean } | { ok: false; error: string };

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
    let next: LoadedConfig;
    try {
      next = current.reload();
    } catch (error) {
      return this.refuse(error instanceof ConfigError ? error.message : `cannot reload ${current.file}: ${(error as Error).message}`);
    }
    const restart = restartOnly(current, next);
    if (restart.length) return this.refuse(`${current.file}: ${restart.join(' and ')} change only with a restart; keeping the running config`);
    const changed = JSON.stringify(next.source) !== JSON.stringify(current.source);
    this.config.apply(next);
    this.metrics.configReloaded(true);
    this.logger.log(`${current.file} reloaded${changed ? '' : ' (no change)'}`);
    for (const warning of next.warnings) this.logger.warn(formatProblem(warning));
    return { ok: true, changed };
  }

  private refuse(error: string): ReloadResult {
    this.metrics.configReloaded(false);
    this.logger.error(`config refused, the running config stays: ${error}`);
    return { ok: false, error };
  }
}

function restartOnly(current: LoadedConfig, next: LoadedConfig): string[] {
  const parts: string[] = [];
  if (JSON.stringify(current.server) !== JSON.stringify(next.server)) parts.push('server settings');
  if (JSON.stringify(current.store) !== JSON.stringify(next.store)) parts.push('the store');
  return parts;
}
