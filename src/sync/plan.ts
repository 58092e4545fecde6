import { EndpointInput, JOGG_ENDPOINT_LIMIT, JoggEndpoint } from './jogg-api.types';
import { baseName, GENERATION_SEPARATOR } from '../common/endpoint-name';

export interface DesiredEndpoint {
  name: string;
  events: string[];
  status: 'enabled' | 'disabled';
}

export type PlanAction =
  | { kind: 'create'; name: string; input: EndpointInput }
  | { kind: 'update'; name: string; endpointId: string; input: EndpointInput; changes: string[] }
  | { kind: 'delete'; name: string; endpointId: string; url: string }
  | { kind: 'unchanged'; name: string; endpointId: string; rotating?: boolean };

export interface SyncPlan {
  actions: PlanAction[];
  /** Endpoints on the account that this bridge does not manage; never changed. */
  foreign: { endpointId: string; url: string }[];
  /** Why the plan must not be applied; empty when it may. */
  refusals: string[];
  /** True when applying would change something. */
  pending: boolean;
}

export interface PlanInput {
  publicUrl: string;
  desired: readonly DesiredEndpoint[];
  remote: readonly JoggEndpoint[];
  /** JoggAI's event catalogue (GET /v2/events). */
  catalogue: readonly string[];
  allowUnknownEvents?: boolean;
  rotations?: readonly Rotation[];
  now?: number;
}

export const WEBHOOK_PATH = '/webhooks/jogg/';

/** A rotation in progress: the older generations of `name` stay until `until` (ms since epoch). */
export interface Rotation {
  name: string;
  until: number;
}

/** The URL JoggAI calls for a managed endpoint. */
export function endpointUrl(publicUrl: string, name: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}${name}`;
}

/**
 * Desired vs actual, as a terraform-like plan: create, update (events or status differ), delete (managed
 * but no longer configured), unchanged. Remote endpoints outside `publicUrl + /webhooks/jogg/` are foreign.
 * Pure: no calls.
 */
export function planSync(input: PlanInput): SyncPlan {
  const refusals = validate(input);
  const prefix = endpointUrl(input.publicUrl, '');
  // managed endpoints by base name, newest generation first
  const managed = new Map<string, { segment: string; endpoint: JoggEndpoint }[]>();
  const foreign: SyncPlan['foreign'] = [];
  for (const endpoint of input.remote) {
    if (!endpoint.url.startsWith(prefix)) {
      foreign.push({ endpointId: endpoint.endpoint_id, url: endpoint.url });
      continue;
    }
    const segment = endpoint.url.slice(prefix.length);
    const list = managed.get(baseName(segment)) ?? [];
    list.push({ segment, endpoint });
    managed.set(baseName(segment), list);
  }
  for (const list of managed.values()) list.sort((a, b) => generation(b.segment) - generation(a.segment));
  const rotating = new Set((input.rotations ?? []).filter((r) => r.until > (input.now ?? Date.now())).map((r) => r.name));
  const actions: PlanAction[] = [];
  for (const want of input.desired) {
    const [live, ...older] = managed.get(want.name) ?? [];
    const inputBody: EndpointInput = { url: live?.endpoint.url ?? endpointUrl(input.publicUrl, want.name), status: want.status, events: [...want.events].sort() };
    if (!live) {
      actions.push({ kind: 'create', name: want.name, input: inputBody });
      continue;
    }
    const changes = diff(live.endpoint, inputBody);
    actions.push(changes.length
      ? { kind: 'update', name: want.name, endpointId: live.endpoint.endpoint_id, input: inputBody, changes }
      : { kind: 'unchanged', name: want.name, endpointId: live.endpoint.endpoint_id });
    for (const old of older) {
      actions.push(rotating.has(want.name)
        ? { kind: 'unchanged', name: old.segment, endpointId: old.endpoint.endpoint_id, rotating: true }
        : { kind: 'delete', name: old.segment, endpointId: old.endpoint.endpoint_id, url: old.endpoint.url });
    }
  }
  const wanted = new Set(input.desired.map((d) => d.name));
  for (const [name, list] of managed) {
    if (wanted.has(name)) continue;
    for (const { segment, endpoint } of list) actions.push({ kind: 'delete', name: segment, endpointId: endpoint.endpoint_id, url: endpoint.url });
  }
  const total = foreign.length + actions.filter((a) => a.kind !== 'delete').length;
  if (total > JOGG_ENDPOINT_LIMIT) {
    refusals.push(`the plan needs ${total} endpoints (${foreign.length} foreign) but JoggAI allows ${JOGG_ENDPOINT_LIMIT} per account`);
  }
  return { actions, foreign, refusals, pending: actions.some((a) => a.kind !== 'unchanged') };
}

function validate(input: PlanInput): string[] {
  const refusals: string[] = [];
  if (!/^https:\/\/[^/\s]+/.test(input.publicUrl)) refusals.push(`publicUrl must be an https:// URL JoggAI can reach, not "${input.publicUrl}"`);
  if (!input.allowUnknownEvents) {
    const known = new Set(input.catalogue);
    for (const want of input.desired) {
      const unknown = want.events.filter((event) => !known.has(event));
      if (unknown.length) refusals.push(`endpoint "${want.name}": ${unknown.join(', ')} not in JoggAI's event catalogue`);
    }
  }
  const seen = new Set<string>();
  for (const want of input.desired) {
    if (seen.has(want.name)) refusals.push(`endpoint "${want.name}" is listed twice`);
    seen.add(want.name);
  }
  return refusals;
}

function generation(segment: string): number {
  const at = segment.indexOf(GENERATION_SEPARATOR);
  return at === -1 ? 0 : Number(segment.slice(at + 1)) || 0;
}

function diff(have: JoggEndpoint, want: EndpointInput): string[] {
  const changes: string[] = [];
  if (have.status !== want.status) changes.push(`status ${have.status} → ${want.status}`);
  const before = new Set(have.events);
  const after = new Set(want.events);
  const added = want.events.filter((e) => !before.has(e));
  const removed = have.events.filter((e) => !after.has(e));
  if (added.length) changes.push(`+ ${added.join(', ')}`);
  if (removed.length) changes.push(`- ${removed.join(', ')}`);
  return changes;
}

/** A readable diff, one line per action. */
export function describePlan(plan: SyncPlan): string {
  const lines = plan.actions.map((action) => {
    switch (action.kind) {
      case 'create':
        return `+ create ${action.name} → ${action.input.url} [${action.input.status}] ${action.input.events.join(', ')}`;
      case 'update':
        return `~ update ${action.name} (${action.endpointId}): ${action.changes.join('; ')}`;
      case 'delete':
        return `- delete ${action.name} (${action.endpointId}) ${action.url}`;
      case 'unchanged':
        return `  ${action.name} (${action.endpointId}) ${action.rotating ? 'kept until the rotation ends' : 'unchanged'}`;
    }
  });
  for (const f of plan.foreign) lines.push(`  foreign ${f.endpointId} ${f.url} (not managed by this bridge; left alone)`);
  for (const refusal of plan.refusals) lines.push(`! ${refusal}`);
  return lines.join('\n');
}
