import { Controller, Get, Res, UseInterceptors } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { Readiness, ReadinessService } from './readiness.service';
import { RedactingInterceptor } from './redacting.interceptor';

@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** Alive: the process answers. */
  @Get('healthz')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready for traffic: 200, or 503 with the check that failed. */
  @Get('readyz')
  @UseInterceptors(RedactingInterceptor) // public: a failed check may quote what a server answered (an echoed key)
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const result = await this.readiness.check();
    reply.status(result.ready ? 200 : 503);
    return result;
  }
}
