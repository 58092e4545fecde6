import { Module } from '@nestjs/common';
import { AlertingModule } from '../alerting/alerting.module';
import { CommonModule, oncePer } from '../common/common.module';
import { BridgeConfigModule } from '../config/bridge-config.module';
import { BridgeSetup } from '../config/bridge-setup';
import { RulesModule } from '../config/rules.module';
import { MetricsModule } from '../metrics/metrics.module';
import { StoreModule } from '../store/store.module';
import { AnswerCounter } from './answer-counter';
import { IngressService } from './ingress.service';
import { KeyringService } from './keyring.service';
import { WebhookReceiver } from './webhook-receiver';

/**
 * Webhooks in: POST /webhooks/jogg[/:endpoint] is answered by WebhookReceiver on the HTTP server (see
 * app.factory.ts). Announces `event.accepted`; takes `keyring.changed`, `config.changed`, `bridge.stopping`.
 */
@Module({})
export class IngressModule {
  static readonly forRoot = oncePer((setup: BridgeSetup) => ({
    module: IngressModule,
    imports: [CommonModule, BridgeConfigModule.forRoot(setup), StoreModule.forRoot(setup), RulesModule.forRoot(setup), MetricsModule.forRoot(setup),
      AlertingModule.forRoot(setup)],
    providers: [IngressService, KeyringService, WebhookReceiver, AnswerCounter],
    exports: [KeyringService, WebhookReceiver],
  }));
}
