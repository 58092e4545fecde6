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
