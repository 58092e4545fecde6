export interface UnsafeTag {
  /** The tag as written, e.g. `{{ error_message }}`. */
  tag: string;
  offset: number;
  /** Inside a JSON string literal (`"…{{ x }}…"`) rather than in place of a value. */
  inString: boolean;
}

/**
 * For a string template that produces JSON: the output tags that let payload text change the JSON's
 * structure. A tag is safe only outside string literals with `json` as its last filter (`{{ data | json }}`).
 * `{% … %}` tags print no payload text of their own and are skipped.
 */
export function unsafeJsonTags(source: string): UnsafeTag[] {
  const unsafe: UnsafeTag[] = [];
  let inString = false;
  let pos = 0;
  while (pos < source.length) {
    const open = nextTag(source, pos);
    const text = source.slice(pos, open === -1 ? source.length : open);
    for (let i = 0; i < text.length; i++) {
      if (inString && text[i] === '\\') i++;
      else if (text[i] === '"') inString = !inString;
    }
    if (open === -1) break;
    const output = source.startsWith('{{', open);
    const close = source.indexOf(output ? '}}' : '%}', open + 2);
    if (close === -1) break;
    pos = close + 2;
    if (!output) continue;
    const tag = source.slice(open + 2, close).replace(/^-/, '').replace(/-$/, '').trim();
    const filters = splitFilters(tag).slice(1);
    const last = /^[a-z_]+/.exec(filters[filters.length - 1] ?? '')?.[0];
    if (inString || last !== 'json') unsafe.push({ tag: source.slice(open, close + 2), offset: open, inString });
  }
  return unsafe;
}

function nextTag(source: string, from: number): number {
  const output = source.indexOf('{{', from);
  const tag = source.indexOf('{%', from);
  if (output === -1) return tag;
  return tag === -1 ? output : Math.min(output, tag);
}

/** `a | default: "x|y" | json` → [a, default: "x|y", json]: `|` inside quotes does not split. */
function splitFilters(tag: string): string[] {
  const parts: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < tag.length; i++) {
    const c = tag[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '|') {
      parts.push(tag.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(tag.slice(start).trim());
  return parts;
}
