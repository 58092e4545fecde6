/**
 * Webhook answers counted per minute and outcome (accepted, duplicate, each refusal reason), for every instance
 * together: each instance counts in memory and adds its counts here every few seconds, so a flood of refused
 * requests costs a few upserts, never a write per request.
 */
export interface AnswerCount {
  /** Start of the minute (ms since epoch). */
  minute: number;
  outcome: string;
  count: number;
}

export abstract class AnswerStats {
  /** Adds the counts to what is stored for each (minute, outcome): one transaction, one upsert per row. */
  abstract addAnswerCounts(counts: readonly AnswerCount[]): Promise<void>;
  /** Answers per outcome in the minutes starting at or after `since`, across instances. */
  abstract answerTotals(since: number): Promise<{ outcome: string; count: number }[]>;
  /** Answers per bucket of `bucketMs` (a multiple of a minute; bucket = floor(minute / bucketMs)) and outcome since `since`. */
  abstract answerSeries(since: number, bucketMs: number): Promise<{ bucket: number; outcome: string; count: number }[]>;
  /** Deletes the counts of minutes before `before`; returns how many rows. */
  abstract purgeAnswerCounts(before: number): Promise<number>;
}
