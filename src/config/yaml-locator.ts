import { Document, isMap, isScalar, isSeq, LineCounter, Node } from 'yaml';

export interface Position { line: number; col: number }

/** Finds the position of a path inside a parsed YAML document (the deepest node that exists). */
export function locate(
  doc: Document,
  counter: LineCounter,
  path: readonly (string | number)[],
  wantKey = false,
): Position | undefined {
  let node: unknown = doc.contents;
  let found: Node | undefined = node as Node | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) break;
      if (last && wantKey && pair.key) return position(counter, pair.key as Node);
      node = pair.value;
      found = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment];
      found = node as Node;
    } else {
      break;
    }
  }
  return found ? position(counter, found) : undefined;
}

function keyText(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

function position(counter: LineCounter, node: Node): Position | undefined {
  if (!node.range) return undefined;
  return counter.linePos(node.range[0]);
}

/** Keys whose value may be a secret written into the file. */
const SECRET_LINE = /(secret|password|pass|token|key|url|auth|smtp|sasl|dsn|credential|cookie|sign)\w*["']?\s*:/i;
/** Values that hold a credential whatever their key: a URL with a password, a query parameter named like one. */
const SECRET_VALUE = /:\/\/[^\s/@]*:[^\s/@]*@|[?&][\w-]*(token|secret|pass|pwd|key|sig|auth|session|sid|credential|code|jwt|hmac|bearer|sas)[\w-]*=/i;

/**
 * Line `index` as shown under a syntax error, or undefined when it is blank or may hold a secret (it, or a
 * key it sits under, names one: e.g. a list item of `secrets:`).
 */
export function excerptAt(lines: readonly string[], index: number): string | undefined {
  const line = (lines[index] ?? '').replace(/\r$/, '');
  return !line.trim() || lineMayHoldSecret(lines, index) ? undefined : line;
}

function lineMayHoldSecret(lines: readonly string[], index: number): boolean {
  let indent = Infinity;
  let item = false; // a list item may sit at its key's own indentation
  for (let i = index; i >= 0; i--) {
    const line = lines[i];
    const trimmed = line.trimStart();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const own = line.length - trimmed.length;
    const isItem = trimmed.startsWith('-');
    if (i !== index && !(own < indent || (own === indent && item && !isItem))) continue;
    if (SECRET_LINE.test(line) || (i === index && SECRET_VALUE.test(line))) return true;
    [indent, item] = [own, isItem];
    if (own === 0 && !isItem) break;
  }
  return false;
}
