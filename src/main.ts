import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { loadConfig } from './config/config.loader';
import { ConfigError } from './config/config.error';
import { KeyringService } from './ingress/keyring.service';

/** `npm start` / `jogg-bridge serve`: load the config, open the store, listen. */
export async function serve(): Promise<void> {
  const logger = new ConsoleLogger('jogg-bridge', { json: process.env.NODE_ENV === 'production' });
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config, { logger });
  if (app.get(KeyringService).isEmpty()) {
    Logger.warn('No webhook secret is configured (set JOGG_WEBHOOK_SECRET): every webhook will be answered 401.', 'Ingress');
  }
  await app.listen(config.server.port, config.server.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  Logger.log(`listening on http://${config.server.host}:${port} (config ${config.file}, store ${config.store.path})`, 'Bootstrap');
}

if (require.main === module) {
  serve().catch((error: Error) => {
    process.stderr.write(`jogg-bridge: ${error.message}\n`);
    process.exit(1);
  });
}
