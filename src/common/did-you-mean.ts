/** The first of `known` within two edits of `name` (a typo of it), if any. */
export function closest(name: string, known: Iterable<string>): string | undefined {
  for (const candidate of known) if (distance(candidate, name) <= 2) return candidate;
  return undefined;
}

/** ` (did you mean "x"?)`, else ` (known: a, b)`, else `empty`: the tail of an "unknown ..." message. */
export function suggest(name: string, known: Iterable<string>, label = 'known', empty = ''): string {
  const list = [...known];
  const close = closest(name, list);
  if (close) return ` (did you mean "${close}"?)`;
  return list.length ? ` (${label}: ${list.join(', ')})` : empty;
}

/** Levenshtein distance. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}
