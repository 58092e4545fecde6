import { CanActivate, ExecutionContext, ForbiddenException, Injectable, NotFoundException, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { Clock } from '../common/clock';
import { BridgeConfigService } from '../config/bridge-config.service';
import { COOKIE, readCookie, Session, SessionKeys } from './session';

const PUBLIC = 'console:public';
/** Reachable without a session: the sign-in page and the static assets (code and styles, no data). */
export const Public = () => SetMetadata(PUBLIC, true);

/** No session (or an expired one): a page answers with a redirect to sign-in, a form post with 401. */
export class SignInRequired extends Error {}

/** `consoleCsrf`: the session's CSRF token, for pages drawn outside a controller (error pages keep the navigation). */
export type ConsoleRequest = FastifyRequest & { consoleSession?: Session; consoleCsrf?: string };

export const CONSOLE_OFF = 'the console is off';

/** The keys of the running admin token; none while BRIDGE_ADMIN_TOKEN is unset (the console is off). */
@Injectable()
export class ConsoleKeys {
  private keys?: { token: string; keys: SessionKeys };

  constructor(private readonly config: BridgeConfigService) {}

  /** The CSRF token of the request's session, when it has a valid one (for pages drawn outside the guard). */
  csrfFor(request: FastifyRequest, now: number): string | undefined {
    const keys = this.current;
    const session = keys?.verify(readCookie(request.headers.cookie, COOKIE), now);
    return session ? keys!.csrfToken(session) : undefined;
  }

  get current(): SessionKeys | undefined {
    const token = this.config.current.admin.token;
    if (!token) return undefined;
    if (this.keys?.token !== token) this.keys = { token, keys: new SessionKeys(token) };
    return this.keys.keys;
  }
}

/**
 * Every console route but the public ones needs a valid session cookie; every POST also needs the session's CSRF
 * token (form field `_csrf` or header `x-csrf-token`). The console does not exist without an admin token.
 */
@Injectable()
export class ConsoleGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly keys: ConsoleKeys, private readonly clock: Clock) {}

  canActivate(context: ExecutionContext): boolean {
    const keys = this.keys.current;
    if (!keys) throw new NotFoundException(`${CONSOLE_OFF} (set BRIDGE_ADMIN_TOKEN to turn it on)`);
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    const changes = request.method !== 'GET' && request.method !== 'HEAD';
    // a second line behind SameSite and the CSRF token: a browser names the page a post came from
    if (changes && !sameOrigin(request)) throw new ForbiddenException('This form was posted from another site.');
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const session = keys.verify(readCookie(request.headers.cookie, COOKIE), this.clock.now());
    if (!session) throw new SignInRequired();
    request.consoleCsrf = keys.csrfToken(session); // signed in: even a refused form's page keeps the navigation
    if (changes) {
      const body = request.body as Record<string, unknown> | undefined;
      const token = (body && typeof body === 'object' ? body._csrf : undefined) ?? request.headers['x-csrf-token'];
      if (!keys.csrfMatches(session, token)) throw new ForbiddenException('This form has expired or did not come from this console (CSRF token missing or wrong). Reload the page and try again.');
    }
    request.consoleSession = session;
    return true;
  }
}

/** No Origin header (not a browser, or an old one): the CSRF token decides. Otherwise its host must be this one. */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
