/**
 * A small logic-less template engine: `{{ path | filter: arg }}`, sections `{{#path}}…{{/path}}`,
 * inverted sections `{{^path}}…{{/path}}` and comments `{{! … }}`. Lookups read own properties only,
 * nothing is ever called, and interpolated values are never parsed again, so payload data that looks
 * like template syntax, HTML or `__proto__` stays inert text.
 */
export class TemplateError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

export type Escape = (text: string) => string;

export interface Template {
  readonly source: string;
  render(context: unknown, escape?: Escape): string;
}

type Path = readonly string[];
interface Filter { name: string; args: readonly (string | number)[] }
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'value'; path: Path; filters: readonly Filter[] }
  | { kind: 'section'; path: Path; inverted: boolean; children: Node[] };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const identity: Escape = (text) => text;

const FILTERS: Record<string, { arity: number[]; apply: (value: unknown, args: readonly (string | number)[]) => unknown }> = {
  iso: { arity: [0], apply: toIso },
  json: { arity: [0], apply: (value) => safeJson(value ?? null) },
  default: { arity: [1], apply: (value, [fallback]) => (isEmpty(value) ? fallback : value) },
  upper: { arity: [0], apply: (value) => stringify(value).toUpperCase() },
  lower: { arity: [0], apply: (value) => stringify(value).toLowerCase() },
  truncate: { arity: [1], apply: (value, [max]) => truncate(stringify(value), Number(max)) },
};

export const TEMPLATE_FILTERS = Object.keys(FILTERS);

export function compileTemplate(source: string): Template {
  const nodes = parse(source);
  return {
    source,
    render: (context, escape = identity) => renderNodes(nodes, [context], escape),
  };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function parse(source: string): Node[] {
  const root: Node[] = [];
  const stack: { node: Extract<Node, { kind: 'section' }>; name: string; offset: number }[] = [];
  const current = () => (stack.length ? stack[stack.length - 1].node.children : root);
  let pos = 0;
  while (pos < source.length) {
    const open = source.indexOf('{{', pos);
    if (open === -1) {
      current().push({ kind: 'text', text: source.slice(pos) });
      break;
    }
    if (open > pos) current().push({ kind: 'text', text: source.slice(pos, open) });
    const close = source.indexOf('}}', open + 2);
    if (close === -1) throw new TemplateError('unclosed "{{"', open);
    const tag = source.slice(open + 2, close).trim();
    pos = close + 2;
    const sigil = tag[0];
    if (sigil === '!') continue;
    if (sigil === '#' || sigil === '^') {
      const name = tag.slice(1).trim();
      const node: Node = { kind: 'section', path: parsePath(name, open), inverted: sigil === '^', children: [] };
      current().push(node);
      stack.push({ node, name, offset: open });
    } else if (sigil === '/') {
      const name = tag.slice(1).trim();
      const top = stack.pop();
      if (!top) throw new TemplateError(`"{{/${name}}}" closes no section`, open);
      if (top.name !== name) throw new TemplateError(`"{{/${name}}}" does not close "{{#${top.name}}}"`, open);
    } else {
      current().push(parseValue(tag, open));
    }
  }
  const unclosed = stack.pop();
  if (unclosed) throw new TemplateError(`section "{{#${unclosed.name}}}" is never closed`, unclosed.offset);
  return root;
}

function parseValue(tag: string, offset: number): Node {
  const [head, ...rest] = splitFilters(tag, offset);
  const filters = rest.map((text) => parseFilter(text, offset));
  return { kind: 'value', path: parsePath(head, offset), filters };
}

function splitFilters(tag: string, offset: number): string[] {
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
  if (quote) throw new TemplateError('unterminated string', offset);
  parts.push(tag.slice(start).trim());
  return parts;
}

function parseFilter(text: string, offset: number): Filter {
  const match = /^([a-z]+)\s*(?::\s*(.+))?$/s.exec(text);
  if (!match) throw new TemplateError(`bad filter "${text}"`, offset);
  const [, name, argText] = match;
  const spec = FILTERS[name];
  if (!spec) throw new TemplateError(`unknown filter "${name}" (known: ${TEMPLATE_FILTERS.join(', ')})`, offset);
  const args = argText === undefined ? [] : [parseLiteral(argText.trim(), offset)];
  if (!spec.arity.includes(args.length)) {
    throw new TemplateError(`filter "${name}" takes ${spec.arity.join(' or ')} argument(s)`, offset);
  }
  return { name, args };
}

function parseLiteral(text: string, offset: number): string | number {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  const quote = text[0];
  if ((quote === '"' || quote === "'") && text.endsWith(quote) && text.length >= 2) {
    return text.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  throw new TemplateError(`filter argument must be a number or a quoted string, not ${text}`, offset);
}

function parsePath(text: string, offset: number): Path {
  if (text === '.') return [];
  if (!text) throw new TemplateError('empty tag', offset);
  const segments = text.split('.');
  for (const segment of segments) {
    if (!SEGMENT.test(segment)) throw new TemplateError(`bad path "${text}"`, offset);
    if (FORBIDDEN_KEYS.has(segment)) throw new TemplateError(`path "${text}" is not allowed`, offset);
  }
  return segments;
}

function renderNodes(nodes: readonly Node[], stack: unknown[], escape: Escape): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'value') out += escape(stringify(applyFilters(lookup(stack, node.path), node.filters)));
    else out += renderSection(node, stack, escape);
  }
  return out;
}

function renderSection(node: Extract<Node, { kind: 'section' }>, stack: unknown[], escape: Escape): string {
  const value = lookup(stack, node.path);
  if (node.inverted) return isEmpty(value) || value === false ? renderNodes(node.children, stack, escape) : '';
  if (isEmpty(value) || value === false) return '';
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => renderNodes(node.children, [...stack, item], escape)).join('');
}

function applyFilters(value: unknown, filters: readonly Filter[]): unknown {
  return filters.reduce((acc, filter) => FILTERS[filter.name].apply(acc, filter.args), value);
}

/** Resolves a path against the innermost context that has its first segment; own properties only. */
export function lookup(stack: readonly unknown[], path: Path): unknown {
  if (path.length === 0) return stack[stack.length - 1];
  for (let i = stack.length - 1; i >= 0; i--) {
    if (hasOwn(stack[i], path[0])) return readPath(stack[i], path);
  }
  return undefined;
}

export function readPath(root: unknown, path: Path): unknown {
  let value = root;
  for (const segment of path) {
    if (!hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function hasOwn(value: unknown, key: string): boolean {
  return typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, key);
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return safeJson(value);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '"[unserialisable]"';
  }
}

function toIso(value: unknown): unknown {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return value;
  const ms = Math.abs(n) < 1e11 ? n * 1000 : n;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

function truncate(text: string, max: number): string {
  if (!Number.isFinite(max) || max < 1 || text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * A template for structured data (Slack Block Kit, HTTP bodies from YAML): every string inside is a
 * template. `render` returns the rendered structure as JSON text; `renderValue` the structure itself.
 * Payload text only ever becomes a string value: it cannot add keys or elements.
 */
export interface StructuredTemplate extends Template {
  renderValue(context: unknown, escape?: Escape): unknown;
}

export interface StructuredOptions {
  /**
   * A string that is exactly one tag (`"{{ data.count }}"`) renders as the value itself, keeping its JSON
   * type (number, object, …; null when absent); otherwise every string renders as a string.
   */
  typedLeaves?: boolean;
}

export function compileStructured(value: unknown, options: StructuredOptions = {}): StructuredTemplate {
  const build = compileValue(value, [], options);
  return {
    source: JSON.stringify(value),
    renderValue: (context, escape = identity) => build(context, escape),
    render: (context, escape = identity) => JSON.stringify(build(context, escape)),
  };
}

type Build = (context: unknown, escape: Escape) => unknown;

function compileValue(value: unknown, path: (string | number)[], options: StructuredOptions): Build {
  if (typeof value === 'string') return compileLeaf(value, path, options);
  if (Array.isArray(value)) {
    const items = value.map((item, i) => compileValue(item, [...path, i], options));
    return (context, escape) => items.map((item) => item(context, escape));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => [key, compileValue(item, [...path, key], options)] as const);
    return (context, escape) => Object.fromEntries(entries.map(([key, item]) => [key, item(context, escape)]));
  }
  return () => value;
}

function compileLeaf(source: string, path: (string | number)[], options: StructuredOptions): Build {
  let nodes: Node[];
  try {
    nodes = parse(source);
  } catch (error) {
    const e = error as TemplateError;
    throw new TemplateError(`${path.length ? `at ${path.join('.')}: ` : ''}${e.message}`, e.offset);
  }
  const only = nodes.length === 1 ? nodes[0] : undefined;
  if (options.typedLeaves && only?.kind === 'value') {
    return (context, escape) => {
      const value = applyFilters(lookup([context], only.path), only.filters);
      if (value === undefined) return null;
      return typeof value === 'string' ? escape(value) : value;
    };
  }
  return (context, escape) => renderNodes(nodes, [context], escape);
}

export interface UnsafeTag {
  /** The tag as written, e.g. `{{ error_message }}`. */
  tag: string;
  offset: number;
  /** Inside a JSON string literal (`"…{{ x }}…"`) rather than in place of a value. */
  inString: boolean;
}

/**
 * For a string template that produces JSON: the tags that let payload text change the JSON's structure.
 * A tag is safe only outside string literals with `json` as its last filter (`{{ data | json }}`).
 */
export function unsafeJsonTags(source: string): UnsafeTag[] {
  const unsafe: UnsafeTag[] = [];
  let inString = false;
  let pos = 0;
  while (pos < source.length) {
    const open = source.indexOf('{{', pos);
    const text = source.slice(pos, open === -1 ? source.length : open);
    for (let i = 0; i < text.length; i++) {
      if (inString && text[i] === '\\') i++;
      else if (text[i] === '"') inString = !inString;
    }
    if (open === -1) break;
    const close = source.indexOf('}}', open + 2);
    if (close === -1) break;
    const tag = source.slice(open + 2, close).trim();
    pos = close + 2;
    if ('!#^/'.includes(tag[0] ?? '!')) continue;
    const filters = splitFilters(tag, open).slice(1);
    const last = /^[a-z]+/.exec(filters[filters.length - 1] ?? '')?.[0];
    if (inString || last !== 'json') unsafe.push({ tag: source.slice(open, close + 2), offset: open, inString });
  }
  return unsafe;
}
