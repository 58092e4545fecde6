import { Injectable } from '@nestjs/common';
import { JoggEnvelope } from '../common/jogg-event';
import { BridgeConfigService } from '../config/bridge-config.service';
import { groupFor } from '../config/groups';
import { PermanentSinkError, Sink } from '../sinks/core/sink';
import { nextDigestAt } from '../common/active-time';
import { AlertGroups, DIGEST_ROUTE } from '../store/ports/alert-groups';
import { Delivery } from '../store/store.types';
import { GroupInput, TemplateSet } from '../templating';
import { groupLabels } from './membership';

const DEFAULT_MAX = 20;

/** The CLI command that lists every member of a group (the message lists the first `max`). */
export function groupCommand(groupId: number): string {
  return `jogg-bridge groups show ${groupId}`;
}

/** Renders a group's one delivery: reads the group, its counts and its first members, and asks the sink for the message. */
@Injectable()
export class GroupMessages {
  constructor(private readonly groups: AlertGroups, private readonly config: BridgeConfigService) {}

  /** What a group delivery is rendered from (also for dry runs and the CLI). */
  async input(delivery: Pick<Delivery, 'id' | 'groupId' | 'route' | 'sink'>): Promise<GroupInput> {
    const group = await this.groups.getGroup(delivery.groupId!);
    if (!group) throw new PermanentSinkError(`group ${delivery.groupId} is not in the store`);
    const sink = this.config.current.sinks.get(delivery.sink);
    const digestConfig = this.config.current.groups.digests.get(delivery.sink);
    const digest = group.route === DIGEST_ROUTE ? digestPeriod(group.key, digestConfig?.schedule) : undefined;
    const max = (digest ? digestConfig?.max : sink && groupFor(this.config.current.groups, delivery.route, sink)?.max) ?? DEFAULT_MAX;
    const [members, counts] = await Promise.all([this.groups.members(group.id, max, digest !== undefined), this.groups.memberCounts(group.id)]);
    return {
      id: group.id,
      deliveryId: delivery.id,
      route: group.route,
      labels: groupLabels(group.key),
      count: counts.reduce((sum, c) => sum + c.count, 0),
      counts,
      members: members.map((m) => ({ envelope: parseBody(m.body), receivedAt: m.receivedAt, bridgeId: m.eventPk })),
      openedAt: group.openedAt,
      flushedAt: group.flushedAt ?? group.dueAt,
      cli: groupCommand(group.id),
      ...(digest ? { digest } : {}),
    };
  }

  /** The message `sink` sends for the group delivery; a sink that cannot render groups refuses it for good. */
  async render<M>(sink: Sink<M>, delivery: Pick<Delivery, 'id' | 'groupId' | 'route' | 'sink'>, overrides?: TemplateSet): Promise<M> {
    if (!sink.renderGroup) throw new PermanentSinkError(`${sink.type} sinks cannot send group messages`);
    const input = await this.input(delivery);
    return sink.renderGroup(input, overrides);
  }
}

/** A digest's period: it ends where its key says; it began at the schedule before (a day, an hour, a week back). */
function digestPeriod(key: string, schedule: Parameters<typeof nextDigestAt>[0] | undefined): { start: number; end: number } {
  const end = Date.parse((JSON.parse(key) as { digest: string }).digest);
  const length = { hour: 3_600_000, day: 86_400_000, week: 604_800_000 }[schedule?.every ?? 'day'];
  return { start: end - length, end };
}

function parseBody(body: string): JoggEnvelope {
  try {
    return JSON.parse(body) as JoggEnvelope;
  } catch {
    return { event: 'unknown', timestamp: 0, data: {} };
  }
}
