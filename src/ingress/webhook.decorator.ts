import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { rememberEvent } from '../ops/webhook-metrics';
import { EnvelopeError, parseEnvelope, ReceivedWebhook } from './envelope';

/** The verified webhook body, parsed and checked (400 with a short reason when malformed). */
export const Webhook = createParamDecorator((_: unknown, context: ExecutionContext): ReceivedWebhook => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  try {
    const text = raw.toString('utf8');
    const envelope = parseEnvelope(text, request.headers['x-webhook-event']);
    rememberEvent(request, envelope.event);
    return { envelope, raw, text };
  } catch (error) {
    if (error instanceof EnvelopeError) throw new BadRequestException(error.message);
    throw error;
  }
});
