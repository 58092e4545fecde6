export class RuleError extends Error {
  /** @param path where inside the rule the problem is, relative to the rule's own node */
  constructor(message: string, readonly path: readonly (string | number)[] = []) {
    super(message);
  }
}

const GLOB = /^[A-Za-z0-9_.\-*?]+$/;
/** As long as an event name may be (the ingress refuses longer ones). */
const MAX_LENGTH = 200;

/** A compiled event-name glob. */
export interface Glob {
  test(name: string): boolean;
}

/** Event-name globs: `*` any run of characters, `?` one character; everything else literal. */
export function compileGlob(pattern: string): Glob {
  if (typeof pattern !== 'string' || !GLOB.test(pattern)) {
    throw new RuleError(`bad event pattern "${String(pattern).slice(0, MAX_LENGTH)}": use letters, digits, "_", "-", "." and the wildcards "*" and "?"`);
  }
  if (pattern.length > MAX_LENGTH) throw new RuleError(`bad event pattern "${pattern.slice(0, 40)}…": longer than ${MAX_LENGTH} characters`);
  if (pattern.includes('**')) throw new RuleError(`bad event pattern "${pattern}": "**" means nothing here, use "*"`);
  return { test: (name: string) => wildcardMatch(pattern, name) };
}

/**
 * Matches without backtracking into earlier stars: on a mismatch only the latest `*` takes one more character, so a
 * pattern like `*?*?*?…x` costs at most pattern × name steps (a regular expression built from it backtracks
 * exponentially). A wildcard matches any character, line terminators included, so no event is accepted and dropped.
 */
function wildcardMatch(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
