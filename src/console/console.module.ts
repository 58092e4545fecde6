import { Module, OnModuleInit, UnsupportedMediaTypeException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance, FastifyReply } from 'fastify';
import { AdminModule } from '../admin/admin.module';
import { CommonModule, oncePer } from '../common/common.module';
import { BridgeConfigModule } from '../config/bridge-config.module';
import { BridgeSetup } from '../config/bridge-setup';
import { RulesModule } from '../config/rules.module';
import { MetricsModule } from '../metrics/metrics.module';
import { OpsModule } from '../ops/ops.module';
import { StoreModule } from '../store/store.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { SinksModule } from '../sink-registry/sinks.module';
import { ConsoleQueriesModule } from '../store/console-queries.module';
import { ConsoleAssetsController } from './assets.controller';
import { ConsoleController } from './console.controller';
import { errorPage } from './console.filter';
import { SECURITY_HEADERS } from './security';
import { ConsoleGuard, ConsoleKeys } from './console.guard';
import { ConsoleService } from './console.service';
import { LiveStreams } from './live';

/** Console forms are small; the dry run's body is the largest field. */
const FORM_LIMIT = 1024 * 1024;

/** The web console (/console), on when BRIDGE_ADMIN_TOKEN is set. */
@Module({})
export class ConsoleModule implements OnModuleInit {
  static readonly forRoot = oncePer((setup: BridgeSetup) => ({
    module: ConsoleModule,
    imports: [
      CommonModule, BridgeConfigModule.forRoot(setup), StoreModule.forRoot(setup), ConsoleQueriesModule.forRoot(setup), AdminModule.forRoot(setup),
      DeliveryModule.forRoot(setup), RulesModule.forRoot(setup), SinksModule.forRoot(setup), MetricsModule.forRoot(setup), OpsModule.forRoot(setup),
    ],
    controllers: [ConsoleController, ConsoleAssetsController],
    providers: [ConsoleService, ConsoleGuard, ConsoleKeys, LiveStreams],
  }));

  constructor(private readonly adapter: HttpAdapterHost, private readonly keys: ConsoleKeys) {}

  /** HTML forms post application/x-www-form-urlencoded: parsed for the console's routes only (elsewhere 415, as before). */
  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (request, body, done) => {
      if (!request.url.startsWith('/console/')) return done(new UnsupportedMediaTypeException('forms are accepted by the console only'), undefined);
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    fastify.addHook('onSend', (request, reply, payload, done) => done(null, asConsolePage(request.url, reply, payload, () => this.keys.csrfFor(request, Date.now()))));
  }
}

/**
 * Errors answered before a console controller runs (an unknown /console path, a form over the limit, a body
 * type the console does not take) come as the app's JSON error; under /console they become a page, like the
 * controllers' own errors. Other paths keep their JSON.
 */
function asConsolePage(url: string, reply: FastifyReply, payload: unknown, csrf: () => string | undefined): unknown {
  if (!/^\/console(\/|\?|$)/.test(url) || reply.statusCode < 400 || !String(reply.getHeader('content-type') ?? '').startsWith('application/json')) return payload;
  let message = 'The request was refused.';
  try {
    const body = JSON.parse(String(payload)) as { message?: unknown };
    if (body.message) message = [body.message].flat().join('; ');
  } catch {
    // not JSON after all: the generic reason
  }
  reply.headers({ ...SECURITY_HEADERS, 'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8' });
  reply.removeHeader('content-length');
  // the router's own 404 ("Cannot GET /console/x"): say it as a person would
  if (reply.statusCode === 404 && /^(Cannot \w+ \S+|Route \w+:\S+ not found)$/.test(message)) message = 'There is no such page in the console.';
  return errorPage(reply.statusCode, message, csrf()).text;
}
