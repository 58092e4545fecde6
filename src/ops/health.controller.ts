import { Controller, Get } from '@nestjs/common';

@Controller()
export class HealthController {
  /** Alive: the process answers. */
  @Get('healthz')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
