import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { IngressService } from './ingress.service';
import { KeyringService } from './keyring.service';
import { SignatureGuard } from './signature.guard';
import { WebhookController } from './webhook.controller';

@Module({
  imports: [DeliveryModule],
  controllers: [WebhookController],
  providers: [IngressService, KeyringService, SignatureGuard],
  exports: [KeyringService],
})
export class IngressModule {}
