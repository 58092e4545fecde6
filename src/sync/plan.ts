import { EndpointInput, JOGG_ENDPOINT_LIMIT, JoggEndpoint } from './jogg-api.types';

export interface DesiredEndpoint {
  name: string;
  events: string[];
  status: 'enabled' | 'disabled';
}

export type PlanAction =
  | { kind: 'create'; name: string; input: EndpointInput }
  | { kind: 'update'; name: string; endpointId: string; input: EndpointInput; changes: string[] }
  | { kind: 'delete'; name: string; endpointId: string; url: string }
  | { kind: 'unchanged'; name: string; endpointId: string };

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
}

export const WEBHOOK_PATH = '/webhooks/jogg/';

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
  const managed = new Map<string, JoggEndpoint>();
  const foreign: SyncPlan['foreign'] = [];
  for (const endpoint of input.remote) {
    if (endpoint.url.startsWith(prefix)) managed.set(endpoint.url.slice(prefix.length), endpoint);
    else foreign.push({ endpointId: endpoint.endpoint_id, url: endpoint.url });
  }
  const actions: PlanAction[] = [];
  for (const want of input.desired) {
    const inputBody: EndpointInput = { url: endpointUrl(input.publicUrl, want.name), status: want.status, events: [...want.events].sort() };
    const have = managed.get(want.name);
    if (!have) {
      actions.push({ kind: 'create', name: want.name, input: inputBody });
      continue;
    }
    const changes = diff(have, inputBody);
    actions.push(changes.length
      ? { kind: 'update', name: want.name, endpointId: have.endpoint_id, input: inputBody, changes }
      : { kind: 'unchanged', name: want.name, endpointId: have.endpoint_id });
  }
  const wanted = new Set(input.desired.map((d) => d.name));
  for (const [name, endpoint] of managed) {
    if (!wanted.has(name)) actions.push({ kind: 'delete', name, endpointId: endpoint.endpoint_id, url: endpoint.url });
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
        return `  ${action.name} (${action.endpointId}) unchanged`;
    }
  });
  for (const f of plan.foreign) lines.push(`  foreign ${f.endpointId} ${f.url} (not managed by this bridge; left alone)`);
  for (const refusal of plan.refusals) lines.push(`! ${refusal}`);
  return lines.join('\n');
}
