import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { FastifyReply } from 'fastify';
import { RepeatedLog } from '../common/repeated-log';
import { StoreUnavailableError } from '../store/store.types';

export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: object;
}

/** The shape of every error answer: `{statusCode, error, message}`. */
export function errorBody(status: number, message: string): { statusCode: number; error: string; message: string } {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
}

/**
 * Maps an error to its HTTP answer: HTTP exceptions as they are; a store that cannot write to 503 with
 * Retry-After (so JoggAI retries the webhook); anything else to 500 with an error id that is logged.
 */
export function answerFor(exception: unknown, logger: Logger): ErrorAnswer {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    // Errors raised by Fastify itself (415, 413, …) arrive with a bare string: give them the usual shape; Nest's own
    // ({message, error, statusCode}) get the usual key order, anything else they carry after those.
    if (typeof body === 'string') return { status, headers: {}, body: errorBody(status, body) };
    const { statusCode, error, message, ...rest } = body as { statusCode?: number; error?: string; message?: unknown };
    // Nest's validation lists every failed rule: one message, like every other error, its parts joined
    const text = Array.isArray(message) ? [...new Set(message.map(String))].join('; ') : message;
    return { status, headers: {}, body: { statusCode: statusCode ?? status, error: error ?? STATUS_CODES[status] ?? 'Error', message: text, ...rest } };
  }
  if (exception instanceof StoreUnavailableError) return storeUnavailableAnswer(exception.message, logger);
  const errorId = randomUUID();
  logger.error(`unexpected error ${errorId}: ${(exception as Error)?.stack ?? exception}`);
  return { status: 500, headers: {}, body: { ...errorBody(500, 'unexpected error'), errorId } };
}

/** 503 with Retry-After (JoggAI retries the webhook) for a store that cannot write; `reason` is logged, not shown. */
export function storeUnavailableAnswer(reason: string, logger: Logger): ErrorAnswer {
  const errorId = randomUUID();
  const line = `${reason} (error id ${errorId})`;
  storeRefusals.write(Date.now(), (held) => logger.error(held ? `${line}; ${held} more refused the same way since the last such line` : line));
  return { status: 503, headers: { 'retry-after': '5' }, body: { ...errorBody(503, 'store unavailable, retry later'), errorId } };
}

/**
 * While the store is down every webhook is refused the same way: the first refusal is logged, then at most
 * one line a minute with how many more there were (their error ids are not logged), not a line per request.
 */
const storeRefusals = new RepeatedLog(60_000);

/** The answer of every Nest route to an error (see answerFor). */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, headers, body } = answerFor(exception, this.logger);
    void host.switchToHttp().getResponse<FastifyReply>().status(status).headers(headers).send(body);
  }
}
