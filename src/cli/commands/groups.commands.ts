import { InvalidArgumentError } from 'commander';
import { Command, Help, Option, SubCommand } from 'nest-commander';
import { errorCode, errorMessage, JoggEnvelope, resourceId } from '../../common/jogg-event';
import { AlertGroup } from '../../store/ports/alert-groups';
import { groupLabels, groupLabelText } from '../../alerting/membership';
import { withStore } from '../cli-context';
import { CliError } from '../cli-error';
import { isoTime, parseId, print, printJson, table, truncate } from '../format';
import { BaseOptions, JsonCommand, ParentCommand } from './base.command';
import { counted } from '../../common/units';

interface GroupListOptions extends BaseOptions {
  open?: boolean;
  sink?: string;
  limit: number;
}

const positive = (value: string): number => {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('a positive integer is needed');
  return Number(value);
};

/** `key` as stored (the group key's JSON text), and `labels`: the same as an object, for scripts. */
function withLabels<G extends AlertGroup>(group: G): G & { labels: Record<string, unknown> } {
  return { ...group, labels: groupLabels(group.key) };
}

function labels(key: string): string {
  return groupLabelText(key) || key;
}

@SubCommand({ name: 'list', description: 'alert groups (one message each), newest first' })
export class GroupsListCommand extends JsonCommand<GroupListOptions> {
  async run(_params: string[], options: GroupListOptions): Promise<void> {
    const groups = await withStore(options.config, (store) =>
      store.groups.listGroups({ state: options.open ? 'open' : undefined, sink: options.sink, limit: options.limit }));
    if (options.json) return printJson(groups.map(withLabels));
    print(table(
      ['GROUP', 'STATE', 'ROUTE', 'SINK', 'KEY', 'EVENTS', 'OPENED', 'DUE/SENT', 'DELIVERY'],
      groups.map((g) => [g.id, g.state, g.route, g.sink, labels(g.key), g.members, isoTime(g.openedAt), isoTime(g.flushedAt ?? g.dueAt), g.deliveryId ?? '-']),
    ));
  }

  @Option({ flags: '--open', description: 'only groups still collecting events' })
  parseOpen(): boolean {
    return true;
  }

  @Option({ flags: '--sink <name>', description: 'only this sink' })
  parseSink(value: string): string {
    return value;
  }

  @Option({ flags: '-n, --limit <n>', description: 'at most this many', defaultValue: 50 })
  parseLimit(value: string): number {
    return positive(value);
  }

  @Help('afterAll')
  example(): string {
    return '\nExample:\n  jogg-bridge groups list --open --sink ops-channel';
  }
}

@SubCommand({ name: 'show', arguments: '<id>', description: 'one alert group: its message\'s delivery and every member event' })
export class GroupsShowCommand extends JsonCommand<BaseOptions & { limit: number }> {
  async run([id]: string[], options: BaseOptions & { limit: number }): Promise<void> {
    const { group, members, delivery } = await withStore(options.config, async (store) => {
      const groups = store.groups;
      const found = await groups.getGroup(parseId(id));
      if (!found) throw new CliError(`no group ${id}`);
      const deliveryRow = found.deliveryId === null ? undefined : await store.queue.getDelivery(found.deliveryId);
      return { group: found, members: await groups.members(found.id, options.limit), delivery: deliveryRow };
    });
    const rows = members.map((m) => ({ id: m.eventPk, event: m.event, receivedAt: m.receivedAt, ...summary(m.body) }));
    if (options.json) return printJson({ ...withLabels(group), delivery: delivery ?? null, events: rows });
    print([
      header(group),
      delivery ? `message: delivery ${delivery.id}, ${delivery.status}${delivery.lastError ? ` (${truncate(delivery.lastError, 80)})` : ''}` : 'message: not yet sent (the group is still collecting)',
      '',
      table(['EVENT', 'RECEIVED', 'TYPE', 'RESOURCE', 'CODE', 'ERROR'],
        rows.map((r) => [r.id, isoTime(r.receivedAt), r.event, r.resource ?? '-', r.code ?? '-', truncate(r.error ?? '', 60)])),
      ...(group.members > rows.length ? [`… ${group.members - rows.length} more (--limit)`] : []),
    ].join('\n'));
  }

  @Option({ flags: '-n, --limit <n>', description: 'list at most this many members', defaultValue: 1000 })
  parseLimit(value: string): number {
    return positive(value);
  }

  @Help('afterAll')
  example(): string {
    return '\nExample:\n  jogg-bridge groups show 17';
  }
}

function header(g: AlertGroup): string {
  return `group ${g.id} (${g.state}): ${counted(g.members, 'event')} of route ${g.route} to ${g.sink}, ${labels(g.key)}, opened ${isoTime(g.openedAt)}` +
    (g.flushedAt ? `, closed ${isoTime(g.flushedAt)}` : `, due ${isoTime(g.dueAt)}`);
}

function summary(body: string): { resource?: string; code?: string; error?: string } {
  try {
    const data = (JSON.parse(body) as JoggEnvelope).data ?? {};
    return { resource: resourceId(data), code: errorCode(data), error: errorMessage(data) };
  } catch {
    return {};
  }
}

@Command({ name: 'groups', description: 'alert groups: events sent together as one message', subCommands: [GroupsListCommand, GroupsShowCommand] })
export class GroupsCommand extends ParentCommand {}
