/** Deepest nesting of objects and arrays a webhook body may have, the envelope itself counting as 1. */
export const MAX_DEPTH = 32;

/** Top-level keys whose second occurrence would make the stored envelope differ from the forwarded bytes (one bit each). */
const ENVELOPE_KEYS: Record<string, number> = { event: 1, event_id: 2, timestamp: 4, data: 8 };

export interface JsonShape {
  /** The nesting went past MAX_DEPTH (the scan stopped there). */
  tooDeep: boolean;
  /** An envelope key that occurs twice in the top-level object. */
  duplicate?: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/**
 * One linear pass over a JSON text, without recursion (so a body nested 100,000 deep costs no stack):
 * the nesting depth and repeated envelope keys. JSON.parse keeps the last of two equal keys, while
 * downstream systems get the raw body and may read the first, so a repeated envelope key is refused.
 * Meant for text that JSON.parse accepts; on other text the answer is meaningless but harmless.
 */
export function scanJson(text: string): JsonShape {
  let depth = 0;
  let topIsObject = false;
  let expectKey = false;
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = closingQuote(text, i);
      if (expectKey) {
        const key = keyText(text, i, end);
        const bit = Object.prototype.hasOwnProperty.call(ENVELOPE_KEYS, key) ? ENVELOPE_KEYS[key] : 0;
        if (seen & bit) return { tooDeep: false, duplicate: key };
        seen |= bit;
        expectKey = false;
      }
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth += 1;
      if (depth > MAX_DEPTH) return { tooDeep: true };
      if (depth === 1) topIsObject = expectKey = c === OPEN_OBJECT;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth -= 1;
    } else if (c === COMMA && depth === 1) {
      expectKey = topIsObject;
    }
  }
  return FINE;
}

const FINE: JsonShape = Object.freeze({ tooDeep: false });

/** Index of the quote that ends the string opened at `start` (text.length when there is none). */
function closingQuote(text: string, start: number): number {
  let at = start;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return at;
  }
}

/** The key as JSON.parse reads it (`"ev\u0065nt"` is `event`). */
function keyText(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end);
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(text.slice(start, end + 1)) as string;
  } catch {
    return raw;
  }
}
