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

/** The silence to store; throws MatcherError naming what is wrong. */
export function newSilence(request: SilenceRequest, now: number): NewSilence {
  if (!request.matchers?.length) throw new MatcherError('a silence needs at least one matcher (event=generated_video_failed)');
  const matchers = request.matchers.map(parseMatcher);
  if ((request.for === undefined) === (request.until === undefined)) throw new MatcherError('give how long the silence lasts: for (2h) or until (a date)');
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
  const comment = request.comment?.trim() ?? '';
  if (!comment) throw new MatcherError('a silence needs a comment saying why (it is shown to whoever wonders where the alerts went)');
  return { matchers, startsAt: now, endsAt, comment, createdBy: request.createdBy?.trim() || null };
}
