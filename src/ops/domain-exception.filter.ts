import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { FastifyReply } from 'fastify';
import { StoreUnavailableError } from '../store/event-store';

/**
 * Maps errors to HTTP answers: HTTP exceptions as they are; a store that cannot write to 503 with
 * Retry-After (so JoggAI retries the webhook); anything else to 500 with an error id that is logged.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      // Errors raised by Fastify itself (415, 413, …) arrive with a bare string: give them the usual shape.
      const shaped = typeof body === 'string' ? { statusCode: status, error: STATUS_CODES[status], message: body } : body;
      void reply.status(status).send(shaped);
      return;
    }
    const errorId = randomUUID();
    if (exception instanceof StoreUnavailableError) {
      this.logger.error(`${exception.message} (error id ${errorId})`);
      void reply.status(503).header('retry-after', '5').send({ statusCode: 503, error: 'Service Unavailable', message: 'store unavailable, retry later', errorId });
      return;
    }
    this.logger.error(`unexpected error ${errorId}: ${(exception as Error)?.stack ?? exception}`);
    void reply.status(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'unexpected error', errorId });
  }
}
