import { DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { CommonModule } from './common/common.module';
import { BridgeSetup } from './config/bridge-setup';
import { ConsoleModule } from './console/console.module';
import { LoadedConfig } from './config/loaded-config';
import { IngressModule } from './ingress/ingress.module';
import { OpsModule } from './ops/ops.module';

/**
 * The serving process: webhooks in (ingress), ops (health, metrics, reload, leadership, and through it the
 * dispatcher and the sync loop), the admin API and the web console. Every module is built for this one setup (see oncePer).
 */
@Module({})
export class AppModule {
  static forRoot(config: LoadedConfig): DynamicModule {
    const setup: BridgeSetup = { config, serving: true };
    return { module: AppModule, imports: [CommonModule, IngressModule.forRoot(setup), OpsModule.forRoot(setup), AdminModule.forRoot(setup), ConsoleModule.forRoot(setup)] };
  }
}
