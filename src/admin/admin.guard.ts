import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable, Logger, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AttemptLimiter } from '../common/attempt-limiter';
import { RepeatedLog } from '../common/repeated-log';
import { BridgeConfigService } from '../config/bridge-config.service';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** `Authorization: Bearer <token>`, compared in constant time (digests of equal length); any other header is refused. */
export function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer (.+)$/is.exec(header ?? '');
  return !!match && timingSafeEqual(digest(match[1]), expected);
}

/**
 * Admin routes exist only with BRIDGE_ADMIN_TOKEN set, and need `Authorization: Bearer <token>`. Guessing is slowed:
 * after 30 wrong tokens from one address within a minute, that address is refused (429) for the rest of the minute
 * (a missing header is no guess and is not counted). Thirty, not the console's five: scripts share an address.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly logger = new Logger('AdminGuard');
  private readonly expected?: Buffer;
  private readonly limiter = new AttemptLimiter(30);
  private readonly refusals = new RepeatedLog(10_000);

  constructor(config: BridgeConfigService) {
    const token = config.current.admin.token;
    this.expected = token ? digest(token) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) throw new NotFoundException('the admin API is off (set BRIDGE_ADMIN_TOKEN to turn it on)');
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const now = Date.now();
    const wait = this.limiter.blocked(request.ip, now);
    if (wait > 0) {
      http.getResponse<FastifyReply>().header('retry-after', String(Math.ceil(wait / 1000)));
      throw new HttpException('too many wrong admin tokens from this address; try again later', HttpStatus.TOO_MANY_REQUESTS);
    }
    if (!bearerMatches(request.headers.authorization, this.expected)) {
      if (request.headers.authorization !== undefined) this.limiter.failed(request.ip, now);
      // the address, never the header (it may be a token that is nearly right, or another secret pasted by mistake)
      this.refusals.write(now, (held) =>
        this.logger.warn(`admin API refused a request from ${request.ip}: wrong or missing authorization${held ? ` (and ${held} more refusals since the last line)` : ''}`));
      throw new UnauthorizedException('a valid admin bearer token is needed');
    }
    return true;
  }
}
