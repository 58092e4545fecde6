/** Marks the end of a text that was cut short (`cutText`): only there can a secret have been cut in two. */
export const CUT_MARK = '…';

/** The first `max` characters of `text`, with CUT_MARK when something was cut (error bodies kept with deliveries). */
export function cutText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}${CUT_MARK}` : text;
}
