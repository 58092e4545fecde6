/**
 * Endpoint names in webhook paths, shared by sync (which creates `<name>~<generation>` during a rotation) and the
 * ingress (which treats it as `<name>`): here so that receiving webhooks does not depend on sync.
 */
export const GENERATION_SEPARATOR = '~';

/** The endpoint name a webhook path segment stands for (`videos~2` → `videos`). */
export function baseName(segment: string): string {
  const at = segment.indexOf(GENERATION_SEPARATOR);
  return at === -1 ? segment : segment.slice(0, at);
}
