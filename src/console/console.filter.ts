import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { FastifyReply } from 'fastify';
import { CONSOLE_OFF, ConsoleRequest, SignInRequired } from './console.guard';
import { html } from './html';
import { layout } from './views/layout';
import { SECURITY_HEADERS } from './security';

/** Console errors as pages: sign-in redirects, 4xx with their reason, 5xx with an id that is logged. */
@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Console');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<ConsoleRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (reply.sent) return;
    reply.headers({ ...SECURITY_HEADERS, 'cache-control': 'no-store' });
    if (exception instanceof SignInRequired) {
      if (request.method === 'GET') {
        const next = request.url.startsWith('/console') && !request.url.startsWith('/console/events/live') ? request.url : '/console';
        reply.status(303).header('location', `/console/login?next=${encodeURIComponent(next)}`).send();
      } else {
        reply.status(401).type('text/html; charset=utf-8').send(page('Signed out', 'Your session has ended. Sign in again, then repeat the action.').text);
      }
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : [(body as { message?: string | string[] }).message].flat().join('; ');
      reply.status(status).type('text/html; charset=utf-8').send(errorPage(status, message, request.consoleCsrf).text);
      return;
    }
    const id = randomUUID();
    this.logger.error(`console error ${id}: ${(exception as Error)?.stack ?? String(exception)}`);
    reply.status(500).type('text/html; charset=utf-8').send(page('Something went wrong', `The error was logged with id ${id}.`, request.consoleCsrf).text);
  }
}

/**
 * A 4xx answered as a page (the console filter's, and the module's for errors raised before any controller); signed
 * in (`csrf`), with the navigation. A console that is off has no page to go back to.
 */
export function errorPage(status: number, message: string, csrf?: string) {
  return page(status === 404 ? 'Not found' : `Error ${status}`, message, csrf, !message.startsWith(CONSOLE_OFF));
}

function page(title: string, message: string, csrf?: string, back = true) {
  return layout(title, { csrf }, html`<p class="flash error" role="alert">${message}</p>${back ? html`<p><a href="/console">Back to the console</a></p>` : ''}`);
}
