/**
 * Silences (alerting): while one is active, the deliveries its matchers select are recorded `silenced` at ingest
 * (with the silence's id) instead of being sent; they stay visible and can be replayed.
 */

/** One condition on a delivery: an event field (`event`, `data.error.code`) or `route` / `sink`. */
export interface SilenceMatcher {
  field: string;
  /** `=` equal, `!=` not equal, `=~` matches the regular expression (anchored). */
  op: '=' | '!=' | '=~';
  value: string;
}

export interface NewSilence {
  matchers: readonly SilenceMatcher[];
  startsAt: number;
  endsAt: number;
  comment: string;
  createdBy: string | null;
}

export interface Silence extends NewSilence {
  id: number;
  createdAt: number;
}

export abstract class Silences {
  abstract addSilence(silence: NewSilence, now: number): Promise<Silence>;
  /** Ends it now (an active or future silence); false when there is none or it had ended already. */
  abstract expireSilence(id: number, now: number): Promise<boolean>;
  abstract getSilence(id: number): Promise<Silence | undefined>;
  /** Active or future ones at `now` (all: expired ones too), newest first. */
  abstract listSilences(query: { now: number; all?: boolean; limit?: number }): Promise<Silence[]>;
}

/** The silences port of an adapter (each keeps it beside itself, on the same connections). */
export function silencesOf(store: object): Silences {
  return (store as { silences: Silences }).silences;
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
