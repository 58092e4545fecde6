import { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AdminModule } from './admin/admin.module';
import { AppModule } from './app.module';
import { LoadedConfig } from './config/loaded-config';
import { acceptRawJson } from './ingress/raw-body';
import { MetricsService } from './ops/metrics.service';
import { countWebhooks } from './ops/webhook-metrics';

export interface CreateAppOptions {
  logger?: LoggerService | false;
}

/** Builds the bridge's Nest application (not yet listening). */
export async function createApp(config: LoadedConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const { bodyLimit, requestTimeoutMs, idleTimeoutMs } = config.server;
  // Deliberate timeouts: slow or idle clients cannot hold the server (Node checks them every second here).
  const adapter = new FastifyAdapter({
    bodyLimit,
    requestTimeout: requestTimeoutMs,
    connectionTimeout: idleTimeoutMs,
    http: { headersTimeout: requestTimeoutMs, connectionsCheckingInterval: 1000 },
  } as ConstructorParameters<typeof FastifyAdapter>[0]);
  acceptRawJson(adapter.getInstance(), config.server.bodyLimit);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bodyParser: false,
    logger: options.logger ?? undefined,
    abortOnError: false,
  });
  countWebhooks(adapter.getInstance(), app.get(MetricsService));
  if (config.admin.token) {
    const document = new DocumentBuilder().setTitle('jogg-bridge admin API').addBearerAuth().build();
    SwaggerModule.setup('admin/docs', app, () => SwaggerModule.createDocument(app, document, { include: [AdminModule] }));
  }
  return app;
}
