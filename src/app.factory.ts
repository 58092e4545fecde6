import { LoggerService } from '@nestjs/common';
import { createServer, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { LoadedConfig } from './config/loaded-config';
import { answerClientError } from './ingress/client-error';
import { acceptRawJson } from './ingress/raw-body';
import { WebhookReceiver } from './ingress/webhook-receiver';

export interface CreateAppOptions {
  logger?: LoggerService | false;
}

/** Builds the bridge's Nest application (not yet listening). */
export async function createApp(config: LoadedConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const { bodyLimit, requestTimeoutMs, idleTimeoutMs } = config.server;
  // Webhooks are answered on the HTTP server itself, ahead of Fastify's pipeline (the hot path); the rest goes to
  // Fastify. The receiver is known once Nest has built it; until then (and never in practice) Fastify answers.
  let receiver: WebhookReceiver | undefined;
  const serverFactory = (fastifyHandler: RequestListener) => {
    // Deliberate timeouts: slow or idle clients cannot hold the server (Node checks them every second here).
    const server = createServer({ headersTimeout: requestTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: 1000 }, (req: IncomingMessage, res: ServerResponse) => {
      if (!receiver?.handle(req, res)) fastifyHandler(req, res);
    });
    // Expect: 100-continue: a body declared over the limit is refused (413) before the client sends it; any other is asked for
    server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
      if (!(Number(req.headers['content-length']) > bodyLimit)) res.writeContinue();
      server.emit('request', req, res);
    });
    server.setTimeout(idleTimeoutMs);
    server.keepAliveTimeout = Math.min(72_000, idleTimeoutMs); // Fastify's default: longer than common load balancers' idle timeouts
    return server;
  };
  // the server (and its timeouts) comes from serverFactory; Fastify keeps the body limit for its own routes
  const clientErrorHandler = (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket, requestTimeoutMs);
  const adapter = new FastifyAdapter({ bodyLimit, serverFactory, clientErrorHandler } as ConstructorParameters<typeof FastifyAdapter>[0]);
  acceptRawJson(adapter.getInstance(), config.server.bodyLimit);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bodyParser: false,
    logger: options.logger ?? undefined,
    abortOnError: false,
    // modules are built once per setup and shared by reference (see oncePer), not compared by content
    moduleIdGeneratorAlgorithm: 'reference',
  });
  receiver = app.get(WebhookReceiver);
  return app;
}
