import 'reflect-metadata';
import { INestApplication, Logger, LogLevel } from '@nestjs/common';
import { createApp } from './app.factory';
import { loadConfig } from './config/config.loader';
import { ConfigError, formatProblem } from './config/config.error';
import { DomainEvents } from './common/domain-events';
import { LoadedConfig } from './config/loaded-config';
import { collectSecrets } from './config/secrets';
import { RedactingLogger } from './ops/redacting.logger';
import { KeyringService } from './ingress/keyring.service';
import { ConfigReloaderService } from './ops/config-reloader.service';
import { ReadinessService } from './ops/readiness.service';

/** `npm start` / `jogg-bridge serve`: load the config, open the store, listen. */
export async function serve(configPath?: string): Promise<void> {
  const production = process.env.NODE_ENV === 'production';
  const logger = new RedactingLogger('jogg-bridge', { json: production, logLevels: logLevels(process.env.LOG_LEVEL) });
  let config;
  try {
    config = loadConfig({ path: configPath });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  logger.setSecrets(collectSecrets(config));
  exitOnUnhandled(logger);
  let app: INestApplication;
  try {
    app = await createApp(config, { logger });
  } catch (error) {
    // one line (the store cannot be opened, another bridge serves it); the stack is at LOG_LEVEL=debug
    process.stderr.write(`jogg-bridge: ${logger.redact((error as Error).message)}\n`);
    process.exit(1);
  }
  // a reload may bring new secrets; the previous ones stay listed (deliveries already under way use them)
  app.get(DomainEvents).on('config.changed', 'the log redaction', ({ next, previous }) => logger.setSecrets([...collectSecrets(next), ...collectSecrets(previous)]));
  stopOnSignals(app, config.server.drainTimeMs);
  await app.listen(config.server.port, config.server.host);
  if (app.get(KeyringService).isEmpty()) {
    Logger.warn('No webhook secret is configured (set JOGG_WEBHOOK_SECRET): every webhook will be answered 401.', 'Ingress');
  }
  for (const warning of config.warnings) Logger.warn(formatProblem(warning), 'Config');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  Logger.log(startupLine(config, port), 'Bootstrap');
}

/** The one line a person reads at start: where it listens, which config, which store, which sinks. */
export function startupLine(config: LoadedConfig, port: number): string {
  const sinks = [...config.sinks.values()].map((sink) => `${sink.name} (${sink.config.type})`).join(', ') || 'none';
  return `listening on http://${config.server.host}:${port} · config ${config.file} · store ${describeStore(config.store)} · sinks ${sinks} · ${config.routes.length} route${config.routes.length === 1 ? '' : 's'}`;
}

/** LOG_LEVEL=debug|verbose adds the debug lines (each retry, Nest's route table); the default is `log`. */
function logLevels(level = 'log'): LogLevel[] {
  const order: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
  const index = order.indexOf(level as LogLevel);
  return order.slice(0, index < 0 ? 4 : index + 1);
}

/** The store as the start-up line shows it: the driver, and where (a PostgreSQL URL without its password). */
export function describeStore(store: LoadedConfig['store']): string {
  if (store.driver !== 'postgres') return `sqlite ${store.path}`;
  try {
    const url = new URL(store.url ?? '');
    url.password = '';
    url.search = ''; // query parameters can carry credentials too (sslkey, password)
    return `postgres ${url.toString()}${store.schema ? ` (schema ${store.schema})` : ''}`;
  } catch {
    return 'postgres (URL not shown)';
  }
}

/**
 * Last resort for an error no code path handled (a bug). The process cannot know what state that left
 * (a lane's counters, a half-done shutdown), and nothing is lost by restarting: every acknowledged event is
 * committed and a delivery whose result was not recorded is sent again. So: log it (redacted) and exit 1, for
 * the supervisor to restart a clean process. Known faults (store, sinks, config) are handled where they occur
 * and never get here.
 */
function exitOnUnhandled(logger: RedactingLogger): void {
  const fatal = (kind: string) => (error: unknown) => {
    try {
      logger.fatal(`${kind}, exiting for a restart: ${(error as Error)?.stack ?? String(error)}`, 'Process');
    } finally {
      process.exit(1);
    }
  };
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled promise rejection'));
}

/**
 * SIGTERM / SIGINT: readiness false and webhooks 503 at once; after `drainMs` the port closes (kept-alive clients
 * got `Connection: close` meanwhile, so they leave without a reset), in-flight work finishes, sinks and the
 * store close, exit 0.
 */
function stopOnSignals(app: INestApplication, drainMs: number): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    Logger.log(`${signal} received, shutting down`, 'Bootstrap');
    app.get(ReadinessService).markStopping();
    const drained = new Promise((resolve) => setTimeout(resolve, drainMs));
    drained.then(() => app.close()).then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`jogg-bridge: error while shutting down: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.on('SIGHUP', () => app.get(ConfigReloaderService).reload());
}

if (require.main === module) {
  serve().catch((error: Error) => {
    process.stderr.write(`jogg-bridge: ${error.message}\n`);
    process.exit(1);
  });
}
