import { CanActivate, ExecutionContext, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { KeyringService } from './keyring.service';
import { verifySignature } from './signature';

/** Lets a webhook through only when X-Webhook-Signature is the HMAC of its raw body under a known secret. */
@Injectable()
export class SignatureGuard implements CanActivate {
  constructor(private readonly keyring: KeyringService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest<{ Params: { endpoint?: string } }>>();
    const endpoint = request.params.endpoint ?? null;
    const secrets = this.keyring.secretsFor(endpoint);
    if (!secrets) throw new NotFoundException(`unknown endpoint "${endpoint}"`);
    const header = request.headers['x-webhook-signature'];
    if (header === undefined) throw new UnauthorizedException('missing X-Webhook-Signature');
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (!verifySignature(raw, typeof header === 'string' ? header : undefined, secrets)) {
      throw new UnauthorizedException('invalid signature');
    }
    return true;
  }
}
