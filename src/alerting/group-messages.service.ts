import { Injectable } from '@nestjs/common';
import { JoggEnvelope } from '../common/jogg-event';
import { BridgeConfigService } from '../config/bridge-config.service';
import { groupFor } from '../config/groups';
import { PermanentSinkError, Sink } from '../sinks/core/sink';
import { AlertGroups } from '../store/alert-groups';
import { Delivery } from '../store/event-store';
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
    const max = (sink && groupFor(this.config.current.groups, delivery.route, sink)?.max) ?? DEFAULT_MAX;
    const [members, counts] = await Promise.all([this.groups.members(group.id, max), this.groups.memberCounts(group.id)]);
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
    };
  }

  /** The message `sink` sends for the group delivery; a sink that cannot render groups refuses it for good. */
  async render<M>(sink: Sink<M>, delivery: Pick<Delivery, 'id' | 'groupId' | 'route' | 'sink'>, overrides?: TemplateSet): Promise<M> {
    if (!sink.renderGroup) throw new PermanentSinkError(`a ${sink.type} sink cannot send group messages`);
    const input = await this.input(delivery);
    return sink.renderGroup(input, overrides);
  }
}

function parseBody(body: string): JoggEnvelope {
  try {
    return JSON.parse(body) as JoggEnvelope;
  } catch {
    return { event: 'unknown', timestamp: 0, data: {} };
  }
}
