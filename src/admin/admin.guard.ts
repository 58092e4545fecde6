import { CanActivate, ExecutionContext, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { FastifyInstance, FastifyRequest } from 'fastify';
import { errorBody } from '../ops/domain-exception.filter';
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

/**
 * The OpenAPI pages (/admin/docs, /admin/docs-json, …) describe the admin API: they need the same token,
 * unless BRIDGE_ADMIN_DOCS=public says they may be read by anyone who reaches the port.
 */
export function guardAdminDocs(fastify: FastifyInstance, token: string, isPublic: boolean): void {
  if (isPublic) return;
  const expected = digest(token);
  fastify.addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?')[0];
    if ((path === '/admin/docs' || path.startsWith('/admin/docs/') || path.startsWith('/admin/docs-')) && !bearerMatches(request.headers.authorization, expected)) {
      void reply.status(401).send(errorBody(401, 'a valid admin bearer token is needed'));
      return;
    }
    done();
  });
}
