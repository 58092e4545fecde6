import { Module, OnModuleInit, UnsupportedMediaTypeException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';
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

  constructor(private readonly adapter: HttpAdapterHost) {}

  /** HTML forms post application/x-www-form-urlencoded: parsed for the console's routes only (elsewhere 415, as before). */
  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (request, body, done) => {
      if (!request.url.startsWith('/console/')) return done(new UnsupportedMediaTypeException('forms are accepted by the console only'), undefined);
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
  }
}
