import { Controller, Get, Logger, Param, ParseIntPipe, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { JOGG_EVENTS } from '../common/jogg-event';
import { sampleEvent } from '../common/jogg-samples';
import { Clock } from '../common/clock';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsoleGuard, ConsoleKeys, ConsoleRequest, Public } from './console.guard';
import { ConsoleService, DeadFilter, EventFilter } from './console.service';
import { Html } from './html';
import { LiveStreams } from './live';
import { SECURITY_HEADERS } from './security';
import { sessionCookie, SignInLimiter } from './session';
import { deadPage, confirmPage } from './views/dead';
import { eventPage } from './views/detail';
import { eventsPage } from './views/events';
import { PageContext } from './views/layout';
import { loginPage } from './views/login';
import { overviewPage } from './views/overview';
import { routesPage } from './views/routes';
import { BadRequestException } from '@nestjs/common';

type Form = Record<string, string | undefined>;

/** The web console under /console: server-rendered pages, forms for every change, a session cookie. */
@Controller('console')
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleExceptionFilter)
export class ConsoleController {
  private readonly logger = new Logger('Console');
  private readonly limiter = new SignInLimiter();

  constructor(
    private readonly console: ConsoleService,
    private readonly keys: ConsoleKeys,
    private readonly live: LiveStreams,
    private readonly clock: Clock,
  ) {}

  @Public()
  @Get('login')
  loginForm(@Res() reply: FastifyReply, @Query('next') next?: string) {
    send(reply, 200, loginPage(undefined, safeNext(next)));
  }

  @Public()
  @Post('login')
  login(@Req() req: ConsoleRequest, @Res() reply: FastifyReply, @Query('next') next?: string) {
    const now = this.clock.now();
    const wait = this.limiter.blocked(req.ip, now);
    if (wait > 0) {
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      return send(reply, 429, loginPage(`Too many wrong tokens from this address. Try again in ${Math.ceil(wait / 1000)} s.`, safeNext(next)));
    }
    const keys = this.keys.current!;
    const token = (req.body as Form | undefined)?.token;
    if (typeof token !== 'string' || !token || !keys.tokenMatches(token)) {
      this.limiter.failed(req.ip, now);
      this.logger.warn(`console sign-in refused from ${req.ip}: wrong admin token`);
      return send(reply, 401, loginPage('That is not the admin token.', safeNext(next)));
    }
    const { cookie } = keys.issue(now);
    reply.header('set-cookie', sessionCookie(cookie, secure(req)));
    reply.status(303).header('location', safeNext(next)).headers(SECURITY_HEADERS).send();
  }

  @Post('logout')
  logout(@Req() req: ConsoleRequest, @Res() reply: FastifyReply) {
    reply.header('set-cookie', sessionCookie('', secure(req), 0));
    reply.status(303).header('location', '/console/login').headers(SECURITY_HEADERS).send();
  }

  @Get()
  async overview(@Req() req: ConsoleRequest, @Res() reply: FastifyReply) {
    send(reply, 200, overviewPage(this.ctx(req), await this.console.overview()));
  }

  @Get('events')
  async events(@Req() req: ConsoleRequest, @Res() reply: FastifyReply, @Query() q: Form) {
    const filter: EventFilter = pick(q, ['event', 'from', 'to', 'status', 'resource', 'q', 'before']);
    send(reply, 200, eventsPage(this.ctx(req), filter, await this.console.events(filter)));
  }

  /** Server-sent events: batches of new events (id > after, or the Last-Event-ID the browser resumes from). */
  @Get('events/live')
  liveEvents(@Req() req: ConsoleRequest, @Res() reply: FastifyReply, @Query('after') after?: string, @Query('watch') watch?: string) {
    const resume = req.headers['last-event-id'] ?? after ?? '0';
    const from = /^\d{1,15}$/.test(String(resume)) ? Number(resume) : 0;
    // the rows the page shows whose deliveries still wait: ids, comma-separated (anything else is ignored)
    const watched = String(watch ?? '').split(',').filter((id) => /^\d{1,15}$/.test(id)).map(Number);
    this.live.open(req, reply, { after: from, watch: watched, sessionEnds: req.consoleSession!.exp }, {
      since: (id) => this.console.eventsSince(id),
      states: (id) => this.console.deliveryStates(id),
    });
  }

  @Get('events/:id')
  async event(@Req() req: ConsoleRequest, @Res() reply: FastifyReply, @Param('id', ParseIntPipe) id: number, @Query() q: Form) {
    const notice = q.replayed ? `Replayed delivery #${q.replayed}: it is back in the queue.` : q.waiting ? `Delivery #${q.waiting} was not replayed: it is already waiting to be sent.` : undefined;
    send(reply, 200, eventPage(this.ctx(req), await this.console.event(id), notice));
  }

  @Post('deliveries/:id/replay')
  async replayOne(@Req() req: ConsoleRequest, @Res() reply: FastifyReply, @Param('id', ParseIntPipe) id: number) {
    const { eventPk, replayed } = await this.console.replayDelivery(id);
    const back = (req.body as Form).back === 'dead' ? `/console/dead?replayed=${replayed}` : `/console/events/${eventPk}?${replayed ? 'replayed' : 'waiting'}=${id}#delivery-${id}`;
    reply.status(303).header('location', back).headers(SECURITY_HEADERS).send();
  }

  @Get('dead')
  async dead(@Req() req: ConsoleRequest, @Res() reply: FastifyReply, @Query() q: Form) {
    const filter: DeadFilter = pick(q, ['sink', 'event', 'since']);
    const [rows, { count }] = await Promise.all([this.console.deadLetters(filter, q.before), this.console.countDeadLetters(filter)]);
    const notice = q.replayed === undefined ? undefined : q.replayed === '0' ? 'Nothing was replayed: no matching dead letter is left.' : `Replayed ${q.replayed} ${q.replayed === '1' ? 'delivery' : 'deliveries'}: back in the queue.`;
    send(reply, 200, deadPage(this.ctx(req), filter, this.console.sinkNames(), rows, count, notice));
  }

  @Get('dead/confirm')
  async confirm(@Req() req: ConsoleRequest, @Res() reply: FastifyReply, @Query() q: Form) {
    const filter: DeadFilter = pick(q, ['sink', 'event', 'since']);
    const { count, maxId } = await this.console.countDeadLetters(filter);
    send(reply, 200, confirmPage(this.ctx(req), filter, count, maxId));
  }

  @Post('dead/replay')
  async replayDead(@Req() req: ConsoleRequest, @Res() reply: FastifyReply) {
    const form = req.body as Form;
    const replayed = await this.console.replayDead(pick(form, ['sink', 'event', 'since']), form.maxId);
    // back to the same list: its filter kept, with what was replayed
    const kept = new URLSearchParams(Object.entries(pick(form, ['sink', 'event', 'since'])).filter(([, v]) => typeof v === 'string' && v !== '') as [string, string][]);
    kept.set('replayed', String(replayed));
    reply.status(303).header('location', `/console/dead?${kept}`).headers(SECURITY_HEADERS).send();
  }

  @Get('routes')
  routes(@Req() req: ConsoleRequest, @Res() reply: FastifyReply, @Query('sample') sample?: string) {
    const name = sample || 'generated_video_failed';
    const body = JSON.stringify(sampleEvent(name, this.clock.now()), null, 2);
    send(reply, 200, routesPage(this.ctx(req), { ...this.console.currentConfig(), sample: name, body }));
  }

  @Post('routes/test')
  async routesTest(@Req() req: ConsoleRequest, @Res() reply: FastifyReply) {
    const form = req.body as Form;
    const body = String(form.body ?? '');
    // the sample chosen stays chosen (the form carries it), also when the body is not JSON; else the body's event
    const chosen = (JOGG_EVENTS as readonly string[]).includes(form.sample ?? '') ? form.sample : undefined;
    const view = { ...this.console.currentConfig(), body, sample: chosen ?? /"event"\s*:\s*"([a-z_]+)"/.exec(body)?.[1] };
    try {
      send(reply, 200, routesPage(this.ctx(req), { ...view, result: await this.console.dryRun(body) }));
    } catch (error) {
      if (!(error instanceof BadRequestException)) throw error;
      send(reply, 400, routesPage(this.ctx(req), { ...view, error: `Not a webhook body: ${error.message}` }));
    }
  }

  private ctx(req: ConsoleRequest): PageContext {
    return { csrf: this.keys.current!.csrfToken(req.consoleSession!) };
  }
}

function send(reply: FastifyReply, status: number, page: Html): void {
  reply.status(status).headers({ ...SECURITY_HEADERS, 'cache-control': 'no-store' }).type('text/html; charset=utf-8').send(page.text);
}

/** Behind HTTPS (directly or through a proxy that says so) the cookie is marked Secure. */
function secure(req: ConsoleRequest): boolean {
  return req.protocol === 'https' || String(req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim() === 'https';
}

/** Only a console path is a place to go after sign-in (no open redirect). */
function safeNext(next: string | undefined): string {
  const ok = next && /^\/console(\/[^/\\]|[?#]|$)/.test(next) && !next.includes('\\') && !/\/\.\.?(\/|$|[?#])/.test(next);
  return ok ? next : '/console';
}

function pick<K extends string>(source: Form | undefined, keys: K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = source?.[key];
    if (typeof value === 'string' && value !== '') out[key] = value;
  }
  return out;
}

