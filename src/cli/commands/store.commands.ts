import { InvalidArgumentError } from 'commander';
import { Command, Help, Option, SubCommand } from 'nest-commander';
import { Delivery, DELIVERY_STATUSES, DeliveryStatus } from '../../store/store.types';
import { unreplayable } from '../../delivery/replay.service';
import { configuredNames, withStore } from '../cli-context';
import { compileGlob, RuleError } from '../../rules/glob';
import { JOGG_EVENTS } from '../../common/jogg-event';
import { CliError } from '../cli-error';
import { isoTime, notConfigured, parseId, parseSince, print, printJson, table, truncate } from '../format';
import { BaseOptions, JsonCommand, ParentCommand } from './base.command';
import { counted } from '../../common/units';

interface ListOptions extends BaseOptions {
  since?: string;
  limit: number;
  event?: string;
  status?: DeliveryStatus;
  sink?: string;
}

abstract class ListCommand extends JsonCommand<ListOptions> {
  @Option({ flags: '--since <when>', description: 'only newer than this: a duration back from now (30m, 1h, 7d) or a date' })
  parseSince(value: string): string {
    return value;
  }

  /** A full page may not be all: say so under the table (JSON stays the rows only). */
  protected printPage(text: string, shown: number, limit: number): void {
    print(text);
    if (shown >= limit) print(`(the newest ${limit} shown; there may be more: --limit <n> for more, --since to narrow)`);
  }

  @Option({ flags: '-n, --limit <n>', description: 'at most this many, newest first', defaultValue: 50 })
  parseLimit(value: string): number {
    if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('a positive integer is needed');
    return Number(value);
  }
}

@SubCommand({ name: 'list', description: 'list stored events, newest first' })
export class EventsListCommand extends ListCommand {
  async run(_params: string[], options: ListOptions): Promise<void> {
    const names = eventNamesOf(options.event);
    const since = parseSince(options.since);
    const events = await withStore(options.config, async ({ inbox }) => {
      // a glob is the JoggAI event names it matches, one index lookup each, merged newest first (as the console does)
      const pages = await Promise.all(names.map((event) => inbox.listEvents({ event, since, limit: options.limit })));
      return pages.flat().sort((a, b) => b.id - a.id).slice(0, options.limit);
    });
    if (options.json) return printJson(events.map(({ body, ...event }) => ({ ...event, body: JSON.parse(body) })));
    this.printPage(table(
      ['ID', 'RECEIVED', 'EVENT', 'EVENT_ID', 'ENDPOINT', 'DELIVERIES'],
      events.map((e) => [e.id, isoTime(e.receivedAt), e.event, e.eventId ?? '-', e.endpoint ?? '-', e.routed || 'unrouted']),
    ), events.length, options.limit);
  }

  @Option({ flags: '-e, --event <name>', description: "only this event name, or a glob over JoggAI's event names (*_failed)" })
  parseEvent(value: string): string {
    return value;
  }

  @Help('afterAll')
  example(): string {
    return "\nExamples:\n  jogg-bridge events list --since 1h\n  jogg-bridge events list --event generated_video_failed --json\n  jogg-bridge events list --event '*_failed'";
  }
}

/** `--event`: none (every event), one name, or a glob as the JoggAI event names it matches. */
function eventNamesOf(pattern: string | undefined): (string | undefined)[] {
  const text = pattern?.trim();
  if (!text) return [undefined];
  if (!/[*?]/.test(text)) return [text];
  let glob;
  try {
    glob = compileGlob(text);
  } catch (error) {
    if (error instanceof RuleError) throw new CliError(`--event ${text}: ${error.message}`);
    throw error;
  }
  const names = JOGG_EVENTS.filter((name) => glob.test(name));
  if (!names.length) throw new CliError(`--event ${text} matches none of JoggAI's event names`);
  return names;
}

@SubCommand({ name: 'show', arguments: '<id>', description: 'one stored event with its body and deliveries' })
export class EventsShowCommand extends JsonCommand {
  async run([id]: string[], options: BaseOptions): Promise<void> {
    const { event, deliveries, groups } = await withStore(options.config, async ({ inbox, queue, groups }) => {
      const found = await inbox.getEvent(parseId(id));
      if (!found) throw new CliError(`no event ${id}`);
      return {
        event: found,
        deliveries: await queue.listDeliveries({ eventPk: found.id, limit: 1000 }),
        // alerting: the group messages it went (or goes) out in
        groups: await groups.listGroups({ eventPk: found.id, limit: 1000 }),
      };
    });
    const body = JSON.parse(event.body);
    if (options.json) return printJson({ ...event, body, deliveries, groups });
    print([
      `event ${event.id}: ${event.event}${event.eventId ? ` (event_id ${event.eventId})` : ''}`,
      `received ${isoTime(event.receivedAt)}${event.endpoint ? ` at endpoint ${event.endpoint}` : ''}`,
      JSON.stringify(body, null, 2),
      '',
      deliveries.length || groups.length ? deliveryTable(deliveries) : 'unrouted: no route matched',
      ...groups.map((g) => `in group ${g.id} (${g.route} → ${g.sink}, ${counted(g.members, 'event')}): ` +
        (g.deliveryId === null ? `collecting, due ${isoTime(g.dueAt)}` : `sent as delivery ${g.deliveryId} (jogg-bridge groups show ${g.id})`)),
    ].join('\n'));
  }

  @Help('afterAll')
  example(): string {
    return '\nExample:\n  jogg-bridge events show 42';
  }
}

@Command({ name: 'events', description: 'inspect stored events', subCommands: [EventsListCommand, EventsShowCommand] })
export class EventsCommand extends ParentCommand {}

@SubCommand({ name: 'list', description: 'list deliveries, newest first' })
export class DeliveriesListCommand extends ListCommand {
  async run(_params: string[], options: ListOptions): Promise<void> {
    const deliveries = await withStore(options.config, ({ queue }) =>
      queue.listDeliveries({ status: options.status, sink: options.sink, since: parseSince(options.since), limit: options.limit }),
    );
    if (options.json) return printJson(deliveries);
    this.printPage(deliveryTable(deliveries), deliveries.length, options.limit);
  }

  @Option({ flags: '--status <status>', description: `only this status: ${DELIVERY_STATUSES.join(', ')}` })
  parseStatus(value: string): string {
    if (!DELIVERY_STATUSES.includes(value as DeliveryStatus)) throw new InvalidArgumentError(`use one of ${DELIVERY_STATUSES.join(', ')}`);
    return value;
  }

  @Option({ flags: '--sink <name>', description: 'only this sink' })
  parseSink(value: string): string {
    return value;
  }

  @Help('afterAll')
  example(): string {
    return '\nExamples:\n  jogg-bridge deliveries list --status dead --since 24h\n  jogg-bridge deliveries list --sink events-file --json';
  }
}

@SubCommand({ name: 'show', arguments: '<id>', description: 'one delivery with every attempt' })
export class DeliveriesShowCommand extends JsonCommand {
  async run([id]: string[], options: BaseOptions): Promise<void> {
    const { delivery, attempts } = await withStore(options.config, async ({ queue }) => {
      const found = await queue.getDelivery(parseId(id));
      if (!found) throw new CliError(`no delivery ${id}`);
      return { delivery: found, attempts: await queue.listAttempts(found.id) };
    });
    if (options.json) return printJson({ ...delivery, history: attempts });
    print([
      deliveryTable([delivery]),
      '',
      attempts.length
        ? table(['ATTEMPT', 'STARTED', 'MS', 'OUTCOME', 'ERROR'], attempts.map((a) => [a.attempt, isoTime(a.startedAt), a.durationMs, a.outcome, a.error ?? '']))
        : 'no attempts yet',
    ].join('\n'));
  }

  @Help('afterAll')
  example(): string {
    return '\nExample:\n  jogg-bridge deliveries show 7';
  }
}

@Command({ name: 'deliveries', description: 'inspect deliveries', subCommands: [DeliveriesListCommand, DeliveriesShowCommand] })
export class DeliveriesCommand extends ParentCommand {}

interface ReplayOptions extends BaseOptions {
  dead?: boolean;
  sink?: string;
  since?: string;
}

@Command({
  name: 'replay',
  arguments: '[delivery-ids...]',
  description: 'queue deliveries again: by id (dead, delivered or silenced), or every dead letter with --dead',
})
export class ReplayCommand extends JsonCommand<ReplayOptions> {
  async run(ids: string[], options: ReplayOptions): Promise<void> {
    if (ids.length && options.dead) throw new CliError('give delivery ids or --dead, not both');
    if (!ids.length && !options.dead) throw new CliError('give delivery ids, or --dead to replay dead letters');
    if (ids.length && (options.sink || options.since)) throw new CliError('--sink and --since go with --dead');
    const filter = ids.length ? { ids: ids.map((id) => parseId(id, 'a delivery id')) } : { sink: options.sink, since: parseSince(options.since) };
    const { count, refused } = await withStore(options.config, async ({ queue }) => {
      const refused = 'ids' in filter && filter.ids ? await unreplayable(queue, filter.ids) : [];
      return { refused, count: await queue.replay(filter, Date.now()) };
    });
    const names = options.sink ? configuredNames(options.config) : undefined;
    if (options.sink && names && !names.sinks.includes(options.sink)) {
      process.stderr.write(`note: ${notConfigured('sink', options.sink, names.sinks)}: `
        + `${count ? 'the replayed deliveries wait for a sink of that name (a reload or restart without one dead-letters them again)' : 'it has no dead letters to replay'}\n`);
    }
    if (options.json) printJson({ replayed: count, ...(refused.length ? { notReplayed: refused } : {}) });
    else print(`replayed ${count} deliver${count === 1 ? 'y' : 'ies'}${count ? ' (the running bridge sends them within its poll interval)' : ''}`);
    if (refused.length) throw new CliError(refused.map((r) => `delivery ${r.id}: ${r.reason}`).join('; '));
  }

  @Option({ flags: '--dead', description: 'every dead letter (narrow with --sink and --since)' })
  parseDead(): boolean {
    return true;
  }

  @Option({ flags: '--sink <name>', description: 'with --dead: only this sink' })
  parseSink(value: string): string {
    return value;
  }

  @Option({ flags: '--since <when>', description: 'with --dead: only dead-lettered since then (30m, 1h, 7d, or a date)' })
  parseSince(value: string): string {
    return value;
  }

  @Help('afterAll')
  example(): string {
    return '\nExamples:\n  jogg-bridge replay 12 13\n  jogg-bridge replay --dead --sink crm --since 2h';
  }
}

function deliveryTable(deliveries: Delivery[]): string {
  return table(
    ['ID', 'EVENT', 'ROUTE', 'SINK', 'STATUS', 'ATTEMPTS', 'UPDATED', 'NEXT', 'LAST_ERROR'],
    deliveries.map((d) => [
      d.id, d.eventPk, d.route, d.sink, d.status === 'silenced' && d.silenceId !== null ? `silenced (silence ${d.silenceId})` : d.status, d.attempts, isoTime(d.updatedAt),
      d.status === 'pending' || d.status === 'retrying' ? isoTime(d.nextAt) : '', truncate(d.lastError),
    ]),
  );
}
