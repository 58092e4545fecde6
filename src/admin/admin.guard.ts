import { CanActivate, ExecutionContext, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { FastifyRequest } from 'fastify';
import { BridgeConfigService } from '../config/bridge-config.service';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** `Authorization: Bearer <token>`, compared in constant time (digests of equal length); any other header is refused. */
export function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer (.+)$/is.exec(header ?? '');
  return !!match && timingSafeEqual(digest(match[1]), expected);
}

/** Admin routes exist only with BRIDGE_ADMIN_TOKEN set, and need `Authorization: Bearer <token>`. */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(config: BridgeConfigService) {
    const token = config.current.admin.token;
    this.expected = token ? digest(token) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) throw new NotFoundException('the admin API is off (set BRIDGE_ADMIN_TOKEN to turn it on)');
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    if (!bearerMatches(header, this.expected)) throw new UnauthorizedException('a valid admin bearer token is needed');
    return true;
  }
}
