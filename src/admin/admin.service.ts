import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { parseSince, SinceError } from '../config/since';
import { JoggEnvelope } from '../common/jogg-event';
import { BridgeConfigService } from '../config/bridge-config.service';
import { redactionFor } from '../config/secrets';
import { DryRunResult, DryRunService } from '../delivery/dry-run.service';
import { ReplayService, unreplayable } from '../delivery/replay.service';
import { EnvelopeError, parseEnvelope } from '../ingress/envelope';
import { DeliveryQueue } from '../store/ports/delivery-queue';
import { EventInbox } from '../store/ports/event-inbox';
import { Attempt, Delivery, StoredEvent } from '../store/store.types';
import { DeliveriesQuery, EventSearchQuery, EventsQuery, ReplayRequest, SilenceBody } from './admin.dto';
import { JOGG_EVENTS } from '../common/jogg-event';
import { compileGlob, RuleError } from '../rules/glob';
import { ConsoleQueries, EventPage } from '../store/console-queries';
import { SilenceService } from '../alerting/silence.service';
import { newSilence } from '../alerting/silence-input';
import { MatcherError } from '../alerting/silence-match';
import { Silence } from '../store/ports/silences';
import { alertingDecision, withDecisions } from '../alerting/decision';
import { AlertGroup, AlertGroups } from '../store/ports/alert-groups';

export type EventView = Omit<StoredEvent, 'body'> & { body: unknown };

/** What the admin API offers, over the same services as the CLI. */
@Injectable()
export class AdminService {
  constructor(
    private readonly inbox: EventInbox,
    private readonly queue: DeliveryQueue,
    private readonly replayer: ReplayService,
    private readonly dryRun: DryRunService,
    private readonly config: BridgeConfigService,
    private readonly queries: ConsoleQueries,
    private readonly silences: SilenceService,
    private readonly groups: AlertGroups,
  ) {}

  listSilences(all: boolean): Promise<Silence[]> {
    return this.silences.list(all);
  }

  /** Takes effect on this instance at once, on others within a second. */
  async addSilence(body: SilenceBody): Promise<Silence> {
    try {
      return await this.silences.add(newSilence(body, Date.now()));
    } catch (error) {
      if (error instanceof MatcherError) throw new BadRequestException(error.message);
      throw error;
    }
  }

  async expireSilence(id: number): Promise<{ id: number; expired: true }> {
    if (!(await this.silences.expire(id))) throw new NotFoundException(`no silence ${id} in force`);
    return { id, expired: true };
  }

  /** Events by name or glob, time range, delivery state, resource id and text: an index in id order for each. */
  searchEvents(search: EventSearchQuery): Promise<EventPage> {
    return this.queries.searchEvents({
      events: eventNames(search.event),
      from: since(search.from, 'from'),
      to: since(search.to, 'to'),
      status: search.status,
      resource: search.resource?.trim() || undefined,
      text: search.q?.trim() || undefined,
      before: search.before,
      limit: search.limit ?? 50,
    });
  }

  async events(query: EventsQuery): Promise<EventView[]> {
    const events = await this.inbox.listEvents({ event: query.event, since: since(query.since), before: query.before, limit: query.limit });
    return events.map(view);
  }

  async event(id: number): Promise<EventView & { deliveries: Delivery[]; groups: AlertGroup[] }> {
    const event = await this.inbox.getEvent(id);
    if (!event) throw new NotFoundException(`no event ${id}`);
    // alerting: the group messages it went (or goes) out in
    return { ...view(event), deliveries: await this.queue.listDeliveries({ eventPk: id, limit: 1000 }), groups: await this.groups.listGroups({ eventPk: id, limit: 1000 }) };
  }

  deliveries(query: DeliveriesQuery): Promise<Delivery[]> {
    return this.queue.listDeliveries({ status: query.status, sink: query.sink, since: since(query.since), before: query.before, limit: query.limit });
  }

  async delivery(id: number): Promise<Delivery & { history: Attempt[] }> {
    const delivery = await this.queue.getDelivery(id);
    if (!delivery) throw new NotFoundException(`no delivery ${id}`);
    return { ...delivery, history: await this.queue.listAttempts(id) };
  }

  /** `notReplayed`: the ids asked for that were not (unknown, or not dead, delivered or silenced), each with why. */
  async replay(request: ReplayRequest): Promise<{ replayed: number; notReplayed?: { id: number; reason: string }[] }> {
    if (!!request.ids === !!request.dead) throw new BadRequestException('give either "ids" or "dead": true');
    const filter = request.ids ? { ids: request.ids } : { sink: request.sink, since: since(request.since) };
    const refused = request.ids ? await unreplayable(this.queue, request.ids) : [];
    const replayed = await this.replayer.replay(filter);
    return refused.length ? { replayed, notReplayed: refused } : { replayed };
  }

  /** The dry run of a webhook body, given as the text that was sent: checked as the ingress checks it. */
  async routesTest(body: string): Promise<DryRunResult> {
    let envelope: JoggEnvelope;
    try {
      envelope = parseEnvelope(body);
    } catch (error) {
      if (error instanceof EnvelopeError) throw new BadRequestException(error.message);
      throw error;
    }
    // alerting: grouping, silences and active time, as this instance would decide them now
    const now = Date.now();
    const current = this.config.current;
    const input = { groups: current.groups, silences: this.silences.snapshot(), openGroups: await this.groups.listGroups({ state: 'open', limit: 1000 }) };
    return withDecisions(this.dryRun.run(envelope), (route, sink) => alertingDecision(input, route, current.sinks.get(sink)!, envelope, now));
  }

  /** The config in use, with every secret it holds replaced by "[redacted]" (value by value, not by text search). */
  currentConfig(): { file: string; config: unknown } {
    const current = this.config.current;
    return { file: current.file, config: redactionFor(current).value(current.source) };
  }
}

function view({ body, ...event }: StoredEvent): EventView {
  return { ...event, body: JSON.parse(body) };
}

function since(value: string | undefined, name = 'since'): number | undefined {
  try {
    return parseSince(value?.trim() || undefined);
  } catch (error) {
    if (error instanceof SinceError) throw new BadRequestException(error.message.replace(/^since/, name));
    throw error;
  }
}

/** An event name, or a glob as the JoggAI event names it matches (so each is one index lookup). */
export function eventNames(pattern: string | undefined): string[] | undefined {
  const text = pattern?.trim();
  if (!text) return undefined;
  if (!/[*?]/.test(text)) return [text];
  try {
    const glob = compileGlob(text);
    return JOGG_EVENTS.filter((name) => glob.test(name));
  } catch (error) {
    if (error instanceof RuleError) throw new BadRequestException(error.message);
    throw error;
  }
}
