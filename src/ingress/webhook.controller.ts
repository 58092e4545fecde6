import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ReceivedWebhook } from './envelope';
import { AcceptResult, IngressService } from './ingress.service';
import { SignatureGuard } from './signature.guard';
import { Webhook } from './webhook.decorator';

@Controller('webhooks/jogg')
@UseGuards(SignatureGuard)
export class WebhookController {
  constructor(private readonly ingress: IngressService) {}

  @Post()
  @HttpCode(200)
  receive(@Webhook() webhook: ReceivedWebhook): Promise<AcceptResult> {
    return this.ingress.accept(webhook, null);
  }

  @Post(':endpoint')
  @HttpCode(200)
  receiveForEndpoint(@Webhook() webhook: ReceivedWebhook, @Param('endpoint') endpoint: string): Promise<AcceptResult> {
    return this.ingress.accept(webhook, endpoint);
  }
}
