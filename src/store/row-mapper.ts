/** Rows as both engines return them (snake_case columns) to the records the ports speak. */
import { AlertGroup } from './ports/alert-groups';
import { Silence, SilenceMatcher } from './ports/silences';
import { Attempt, Delivery, DeliveryStatus, StoredEvent } from './store.types';

export interface EventRow {
  id: number; dedupe_key: string; event_id: string | null; event: string; endpoint: string | null;
  timestamp: number; received_at: number; routed: number; body: string;
}
export interface DeliveryRow {
  id: number; event_pk: number; route: string; sink: string; status: DeliveryStatus; attempts: number; attempts_before_replay: number;
  next_at: number; lease_until: number | null; lease_token: string | null; last_error: string | null;
  created_at: number; updated_at: number; order_key: string | null; paused_ms: number; group_id?: number | null; silence_id?: number | null;
}
export interface AttemptRow {
  delivery_id: number; attempt: number; started_at: number; duration_ms: number; outcome: Attempt['outcome']; error: string | null;
}

export function toEvent(row: EventRow): StoredEvent {
  return {
    id: row.id, dedupeKey: row.dedupe_key, eventId: row.event_id, event: row.event, endpoint: row.endpoint,
    timestamp: row.timestamp, receivedAt: row.received_at, routed: row.routed, body: row.body,
  };
}

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id, eventPk: row.event_pk, route: row.route, sink: row.sink, status: row.status, attempts: row.attempts,
    attemptsBeforeReplay: row.attempts_before_replay ?? 0, orderKey: row.order_key ?? null, pausedMs: Number(row.paused_ms ?? 0),
    groupId: row.group_id ?? null,
    silenceId: row.silence_id ?? null,
    nextAt: row.next_at, lastError: row.last_error, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

export function toAttempt(row: AttemptRow): Attempt {
  return {
    deliveryId: row.delivery_id, attempt: row.attempt, startedAt: row.started_at, durationMs: row.duration_ms,
    outcome: row.outcome, error: row.error,
  };
}

export interface GroupRow {
  id: number; sink: string; route: string; group_key: string; state: AlertGroup['state']; opened_at: number; due_at: number;
  flushed_at: number | null; members: number; delivery_id: number | null;
}

export function toGroup(row: GroupRow): AlertGroup {
  return {
    id: Number(row.id), sink: row.sink, route: row.route, key: row.group_key, state: row.state, openedAt: Number(row.opened_at),
    dueAt: Number(row.due_at), flushedAt: row.flushed_at === null ? null : Number(row.flushed_at), members: Number(row.members),
    deliveryId: row.delivery_id === null ? null : Number(row.delivery_id),
  };
}

export interface SilenceRow {
  id: number; matchers: string; starts_at: number; ends_at: number; comment: string; created_by: string | null; created_at: number;
}

export function toSilence(row: SilenceRow): Silence {
  return {
    id: Number(row.id), matchers: JSON.parse(row.matchers) as SilenceMatcher[], startsAt: Number(row.starts_at), endsAt: Number(row.ends_at),
    comment: row.comment, createdBy: row.created_by, createdAt: Number(row.created_at),
  };
}
