import { parseDuration } from '../common/units';
import { NewSilence } from '../store/ports/silences';
import { MatcherError, parseMatcher } from './silence-match';

/** A silence as a person asks for it (CLI flags, admin API body). */
export interface SilenceRequest {
  matchers: readonly string[];
  /** How long from now (2h), or… */
  for?: string;
  /** …until when (a date). */
  until?: string;
  comment?: string;
  createdBy?: string;
}

export const MAX_COMMENT = 2000;
const MAX_SILENCE_MS = 366 * 24 * 3600_000;

/** One line of text, within `max` characters: no control characters (they would act on the terminal listing it). */
function text(name: string, value: string | undefined, max: number): string {
  const trimmed = value?.trim() ?? '';
  if (trimmed.length > max) throw new MatcherError(`the ${name} is longer than ${max} characters`);
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(trimmed)) throw new MatcherError(`the ${name} must be one line of text, without control characters`);
  return trimmed;
}

/** The silence to store; throws MatcherError naming what is wrong. */
export function newSilence(request: SilenceRequest, now: number): NewSilence {
  if (!request.matchers?.length) throw new MatcherError('a silence needs at least one matcher (event=generated_video_failed)');
  const problems: string[] = [];
  const matchers = request.matchers.flatMap((text) => {
    try {
      return [parseMatcher(text)];
    } catch (error) {
      if (!(error instanceof MatcherError)) throw error;
      problems.push(error.message);
      return [];
    }
  });
  // every bad matcher at once, not one per try
  if (problems.length) throw new MatcherError(problems.join('; '));
  if (request.for !== undefined && request.until !== undefined) throw new MatcherError('give either for (2h) or until (a date), not both');
  if (request.for === undefined && request.until === undefined) throw new MatcherError('give how long the silence lasts: for (2h) or until (a date)');
  let endsAt: number;
  if (request.for !== undefined) {
    const ms = parseDuration(request.for);
    if (!ms || /^\d+$/.test(String(request.for))) throw new MatcherError(`for takes a duration such as 30m, 2h or 1d, not "${request.for}"`);
    endsAt = now + ms;
  } else {
    endsAt = Date.parse(request.until!);
    if (Number.isNaN(endsAt)) throw new MatcherError(`until takes a date such as 2026-11-30T18:00:00Z, not "${request.until}"`);
    if (endsAt <= now) throw new MatcherError('until is in the past');
  }
  if (endsAt - now > MAX_SILENCE_MS) throw new MatcherError('a silence lasts at most a year (expire and renew it, so it is looked at again)');
  const comment = text('comment', request.comment, MAX_COMMENT);
  if (!comment) throw new MatcherError('a silence needs a comment saying why (it is shown to whoever wonders where the alerts went)');
  return { matchers, startsAt: now, endsAt, comment, createdBy: text('created by', request.createdBy, 200) || null };
}
