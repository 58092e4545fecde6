export class RuleError extends Error {
  /** @param path where inside the rule the problem is, relative to the rule's own node */
  constructor(message: string, readonly path: readonly (string | number)[] = []) {
    super(message);
  }
}

const GLOB = /^[A-Za-z0-9_.\-*?]+$/;

/** Event-name globs: `*` any run of characters, `?` one character; everything else literal. */
export function compileGlob(pattern: string): RegExp {
  if (typeof pattern !== 'string' || !GLOB.test(pattern)) {
    throw new RuleError(`bad event pattern "${pattern}": use letters, digits, "_", "-", "." and the wildcards "*" and "?"`);
  }
  if (pattern.includes('**')) throw new RuleError(`bad event pattern "${pattern}": "**" means nothing here, use "*"`);
  const body = pattern.replace(/[.\-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  // `s`: a wildcard matches any character, line terminators included, so no event is accepted and dropped
  return new RegExp(`^${body}$`, 's');
}
