import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { JoggEnvelope } from '../common/jogg-event';
import { Sink, SinkEvent } from '../sinks/core/sink';
import { HttpMessage, HttpSink } from '../sinks/http/http.sink';
import { Clock } from '../common/clock';
import { AdminService, eventNames } from '../admin/admin.service';
import { BridgeConfigService } from '../config/bridge-config.service';
import { redactionFor } from '../config/secrets';
import { parseSince, SinceError } from '../config/since';
import { DryRunResult } from '../delivery/dry-run.service';
import { ReplayService } from '../delivery/replay.service';
import { RoutingService } from '../rules/routing.service';
import { Readiness, ReadinessService } from '../ops/readiness.service';
import { SinkRegistry } from '../sink-registry/sink.registry';
import { ConsoleQueries, DeadLetter, EventPage, Series, WindowCounts } from '../store/console-queries';
import { AlertGroup, AlertGroups } from '../store/ports/alert-groups';
import { AnswerStats } from '../store/ports/answer-stats';
import { Silence, Silences } from '../store/ports/silences';
import { DeliveryQueue } from '../store/ports/delivery-queue';
import { EndpointSyncLog, EndpointSyncStatus } from '../store/ports/endpoint-sync-log';
import { KeyringStore } from '../store/ports/keyring-store';
import { Attempt, DELIVERY_STATUSES, Delivery, DeliveryStatus } from '../store/store.types';

export interface EventFilter {
  event?: string;
  from?: string;
  to?: string;
  status?: string;
  resource?: string;
  q?: string;
  before?: string;
}

export interface DeadFilter {
  sink?: string;
  event?: string;
  since?: string;
}

export interface Overview {
  windows: { label: string; counts: WindowCounts }[];
  /** Webhook answers of every instance by outcome in the last hour and day (counted per minute, stored every 10 s). */
  answers: { outcome: string; hour: number; day: number }[];
  deadWaiting: { sink: string; count: number }[];
  readiness: Readiness;
  /** The configured endpoints, each with the result of the last sync that ran (by any instance or `sync apply`). */
  endpoints: { name: string; status: string; events: string; secrets: number; sync?: EndpointSyncStatus }[];
  /** Per bucket: events received, delivered, dead-lettered, and webhooks refused (every answer but accepted and duplicate). */
  series: { hour: Series & { refused: number[] }; day: Series & { refused: number[] } };
  /** Alerting: groups still collecting (grouping, digests, alerts held for a route's active time), and silences in force. */
  openGroups: AlertGroup[];
  silences: Silence[];
}

export interface DeliveryView extends Delivery {
  history: Attempt[];
  /** What the sink sends for this delivery, rendered from the stored body with the current config (credentials redacted). */
  message?: unknown;
  messageError?: string;
}

export interface RouteReason {
  route: string;
  matched: boolean;
  reason: string;
  to: readonly string[];
}

export interface EventDetail {
  id: number;
  event: string;
  eventId: string | null;
  endpoint: string | null;
  receivedAt: number;
  timestamp: number;
  dedupeKey: string;
  /** The body exactly as received (redacted of any secret the config holds), and pretty-printed. */
  raw: string;
  pretty: string;
  routes: RouteReason[];
  deliveries: DeliveryView[];
  /** Alerting: the group messages (and digests) the event is a member of, each with its one delivery once sent. */
  groups: GroupView[];
}

export interface GroupView extends AlertGroup {
  /** The group's delivery (sent with one of the members), once the group is closed. */
  delivery?: { id: number; eventPk: number; status: string };
}

const PAGE = 50;
const REPLAY_ALL_MAX = 10_000;

/** What the web console shows, read through the admin API's services and the console's query port. */
@Injectable()
export class ConsoleService {
  constructor(
    private readonly admin: AdminService,
    private readonly queries: ConsoleQueries,
    private readonly queue: DeliveryQueue,
    private readonly keyring: KeyringStore,
    private readonly replayer: ReplayService,
    private readonly routing: RoutingService,
    private readonly sinks: SinkRegistry,
    private readonly config: BridgeConfigService,
    private readonly readiness: ReadinessService,
    private readonly answers: AnswerStats,
    private readonly syncLog: EndpointSyncLog,
    private readonly clock: Clock,
    private readonly alertGroups: AlertGroups,
    private readonly silencePort: Silences,
  ) {}

  async overview(): Promise<Overview> {
    const now = this.clock.now();
    const [hour, day, deadWaiting, readiness, secrets, hourSeries, daySeries, answers, synced, openGroups, silences] = await Promise.all([
      this.queries.windowCounts(now - 3600_000),
      this.queries.windowCounts(now - 86_400_000),
      this.queries.deadBySink(),
      this.readiness.check(),
      this.keyring.listEndpointSecrets(),
      this.queries.series(now - 3600_000, 60_000),
      this.queries.series(now - 86_400_000, 900_000),
      this.answerWindows(now),
      this.syncLog.listSync(),
      this.alertGroups.listGroups({ state: 'open', limit: 50 }),
      this.silencePort.listSilences({ now, limit: 50 }),
    ]);
    const endpoints = this.config.current.jogg.endpoints.map((e) => ({
      name: e.name,
      status: e.status,
      events: e.events === 'auto' ? 'auto' : e.events.join(', '),
      secrets: e.secrets.length + secrets.filter((s) => s.endpoint === e.name).length,
      sync: synced.find((s) => s.endpoint === e.name),
    }));
    return {
      windows: [{ label: 'Last hour', counts: hour }, { label: 'Last 24 hours', counts: day }],
      answers,
      deadWaiting,
      // a failed check may quote a server's answer (an SMTP server echoing AUTH): redacted as /readyz is
      readiness: redactionFor(this.config.current).value(readiness) as Readiness,
      endpoints,
      series: { hour: await this.withRefused(hourSeries, now - 3600_000, 60_000), day: await this.withRefused(daySeries, now - 86_400_000, 900_000) },
      openGroups,
      silences,
    };
  }

  /** The events page: the admin API's search, with the page's text fields checked here. */
  events(filter: EventFilter): Promise<EventPage> {
    return this.admin.searchEvents({
      event: filter.event, from: filter.from, to: filter.to, status: status(filter.status), resource: filter.resource, q: filter.q,
      before: positive(filter.before, 'before'), limit: PAGE,
    });
  }

  /** Events stored after `afterId`, oldest first (live mode). */
  eventsSince(afterId: number) {
    return this.queries.eventsSince(afterId, 100);
  }

  /** One event's deliveries counted by state (live mode refreshes a row's badges with it). */
  async deliveryStates(id: number): Promise<Partial<Record<DeliveryStatus, number>>> {
    const counts: Partial<Record<DeliveryStatus, number>> = {};
    for (const d of await this.queries.deliveriesOf(id)) counts[d.status] = (counts[d.status] ?? 0) + 1;
    return counts;
  }

  async event(id: number): Promise<EventDetail> {
    // the event and its deliveries from the console's port (by index); each delivery's attempts as the admin API reads them
    const [stored, list, groups] = await Promise.all([this.queries.getEvent(id), this.queries.deliveriesOf(id), this.alertGroups.listGroups({ eventPk: id, limit: 100 })]);
    if (!stored) throw new NotFoundException(`no event ${id}`);
    const redaction = redactionFor(this.config.current);
    const envelope = parseBody(stored.body);
    const deliveries = await Promise.all(list.map(async (d) => {
      const { history } = await this.admin.delivery(d.id);
      return { ...d, history, ...this.message(d, { id, deliveryId: d.id, envelope, body: stored.body, endpoint: stored.endpoint, receivedAt: stored.receivedAt }) };
    }));
    return {
      id, event: stored.event, eventId: stored.eventId, endpoint: stored.endpoint, receivedAt: stored.receivedAt, timestamp: stored.timestamp,
      dedupeKey: stored.dedupeKey,
      raw: redaction.text(stored.body),
      pretty: redaction.text(JSON.stringify(envelope, null, 2)),
      routes: this.explain(envelope),
      deliveries: deliveries.map((d) => ({ ...d, lastError: d.lastError && redaction.text(d.lastError), history: d.history.map((a) => ({ ...a, error: a.error && redaction.text(a.error) })) })),
      groups: await Promise.all(groups.map(async (g): Promise<GroupView> => {
        const sent = g.deliveryId === null ? undefined : await this.queue.getDelivery(g.deliveryId);
        return { ...g, ...(sent ? { delivery: { id: sent.id, eventPk: sent.eventPk, status: sent.status } } : {}) };
      })),
    };
  }

  async replayDelivery(id: number): Promise<{ replayed: number; eventPk: number }> {
    const delivery = await this.queue.getDelivery(id);
    if (!delivery) throw new NotFoundException(`no delivery ${id}`);
    return { ...(await this.admin.replay({ ids: [id] })), eventPk: delivery.eventPk };
  }

  deadLetters(filter: DeadFilter, before?: string): Promise<DeadLetter[]> {
    return this.queries.deadLetters({ ...this.deadFilter(filter), before: positive(before, 'before'), limit: PAGE });
  }

  countDeadLetters(filter: DeadFilter): Promise<{ count: number; maxId: number }> {
    return this.queries.countDeadLetters(this.deadFilter(filter));
  }

  /** Replays the dead letters the confirmation counted: those matching the filter with an id up to `maxId`. */
  async replayDead(filter: DeadFilter, maxId: string | undefined): Promise<number> {
    const max = positive(maxId, 'maxId');
    if (max === undefined) throw new BadRequestException('the confirmation is missing (maxId)');
    const ids = await this.queries.deadLetterIds({ ...this.deadFilter(filter), maxId: max }, REPLAY_ALL_MAX);
    if (!ids.length) return 0;
    return this.replayer.replay({ ids });
  }

  currentConfig(): { file: string; config: unknown } {
    return this.admin.currentConfig();
  }

  /** With the alerting decisions (grouping, silence, active time) the admin API's routes test shows. */
  async dryRun(body: string): Promise<DryRunResult> {
    const result = await this.admin.routesTest(body);
    const event = { id: 0, deliveryId: 0, envelope: { event: result.event } as JoggEnvelope, body, endpoint: null, receivedAt: 0 };
    const routes = result.routes.map((route) => ({
      ...route, deliveries: route.deliveries.map((d) => ({ ...d, message: withSendHeaders(this.sinks.get(d.sink), d.message, event) })),
    }));
    return { ...result, routes };
  }

  sinkNames(): string[] {
    return this.sinks.names();
  }

  private deadFilter(filter: DeadFilter) {
    return { sink: filter.sink || undefined, events: eventNames(filter.event), since: time(filter.since, 'since') };
  }

  private message(delivery: Delivery, event: SinkEvent): { message?: unknown; messageError?: string } {
    const sink = this.sinks.get(delivery.sink);
    if (!sink) return { messageError: `sink "${delivery.sink}" is no longer configured` };
    const redaction = redactionFor(this.config.current);
    try {
      const sent = { ...event, attempt: delivery.attempts || undefined };
      return { message: withSendHeaders(sink, redaction.value(this.routing.render(delivery.route, sink, sent)), sent) };
    } catch (error) {
      return { messageError: redaction.text(`the templates fail on this event: ${(error as Error).message}`) };
    }
  }

  /** Each configured route, in order, and why it does or does not match this event with the current config. */
  private explain(envelope: JoggEnvelope): RouteReason[] {
    const matched = new Set(this.routing.match(envelope).map((r) => r.name));
    const sources = new Map(this.config.current.source.routes.map((r) => [r.name, r]));
    let stoppedBy: string | undefined;
    return this.config.current.routes.map((route) => {
      const patterns = sources.get(route.name)?.match.events ?? [];
      const hit = patterns.find((_, i) => route.events[i]?.test(envelope.event));
      let reason: string;
      if (stoppedBy) reason = `not evaluated: route "${stoppedBy}" matched before it and has continue: false`;
      else if (hit === undefined) reason = `the event name matches none of ${patterns.map((p) => `"${p}"`).join(', ')}`;
      else if (!matched.has(route.name)) reason = `the event name matches "${hit}", but its where conditions do not hold`;
      else reason = `the event name matches "${hit}"${sources.get(route.name)?.match.where ? ' and its where conditions hold' : ''}`;
      if (matched.has(route.name) && !route.continue && !stoppedBy) stoppedBy = route.name;
      return { route: route.name, matched: matched.has(route.name), reason, to: route.to };
    });
  }

  /** The chart's series with the refused webhooks per bucket (buckets are aligned to the epoch on both sides). */
  private async withRefused(series: Series, since: number, bucketMs: number): Promise<Series & { refused: number[] }> {
    const refused = series.at.map(() => 0);
    const first = series.at.length ? series.at[0] / bucketMs : 0;
    for (const row of await this.answers.answerSeries(since, bucketMs)) {
      const i = row.bucket - first;
      if (row.outcome !== 'accepted' && row.outcome !== 'duplicate' && i >= 0 && i < refused.length) refused[i] += row.count;
    }
    return { ...series, refused };
  }

  /** Answers per outcome in the last hour and day; accepted and duplicate first, then the refusals by name. */
  private async answerWindows(now: number): Promise<Overview['answers']> {
    const [hour, day] = await Promise.all([this.answers.answerTotals(now - 3600_000), this.answers.answerTotals(now - 86_400_000)]);
    const rank = (o: string) => (o === 'accepted' ? 0 : o === 'duplicate' ? 1 : 2);
    return day
      .map(({ outcome, count }) => ({ outcome, hour: hour.find((h) => h.outcome === outcome)?.count ?? 0, day: count }))
      .sort((a, b) => rank(a.outcome) - rank(b.outcome) || a.outcome.localeCompare(b.outcome));
  }
}

/** Stored bodies are JSON (the ingress refuses others); a row that is not still shows, as text. */
function parseBody(body: string): JoggEnvelope {
  try {
    return JSON.parse(body) as JoggEnvelope;
  } catch {
    return { event: '', timestamp: 0, data: { body } };
  }
}

function time(value: string | undefined, name: string): number | undefined {
  try {
    return parseSince(value?.trim() || undefined);
  } catch (error) {
    if (error instanceof SinceError) throw new BadRequestException(error.message.replace(/^since/, name));
    throw error;
  }
}

function status(value: string | undefined): DeliveryStatus | undefined {
  if (!value) return undefined;
  if (!(DELIVERY_STATUSES as readonly string[]).includes(value)) throw new BadRequestException(`status is one of ${DELIVERY_STATUSES.join(', ')}`);
  return value as DeliveryStatus;
}

function positive(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1) throw new BadRequestException(`${name} must be a positive whole number`);
  return Number(value);
}

/** An http sink's message with the headers its send adds per attempt (the signature as a placeholder, never computed here). */
function withSendHeaders(sink: Sink | undefined, message: unknown, event: SinkEvent): unknown {
  if (!(sink instanceof HttpSink) || !message || typeof message !== 'object') return message;
  const rendered = message as HttpMessage;
  return { ...rendered, headers: { ...rendered.headers, ...sink.headersAddedAtSend(event) } };
}
