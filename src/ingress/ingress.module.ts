import { Module } from '@nestjs/common';
import { AlertingModule } from '../alerting/alerting.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { IngressService } from './ingress.service';
import { KeyringService } from './keyring.service';
import { WebhookReceiver } from './webhook-receiver';

/** Webhooks in: POST /webhooks/jogg[/:endpoint] is answered by WebhookReceiver on the HTTP server (see app.factory.ts). */
@Module({
  imports: [DeliveryModule, AlertingModule],
  providers: [IngressService, KeyringService, WebhookReceiver],
  exports: [KeyringService, WebhookReceiver],
})
export class IngressModule {}
