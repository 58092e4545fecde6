/**
 * The bridge's own filters. Liquid has built-ins of the same names (`default`, `json`, `truncate`) that
 * differ in detail; these keep the meaning templates have always had here, so they replace the built-ins.
 */
export const BRIDGE_FILTERS: Readonly<Record<string, (value: unknown, ...args: unknown[]) => unknown>> = {
  iso: toIso,
  json: (value) => safeJson(value ?? null),
  /** The fallback for absent, null, "" and []; 0 and false are values. */
  default: (value, fallback) => (isEmpty(value) ? fallback : value),
  upper: (value) => stringify(value).toUpperCase(),
  lower: (value) => stringify(value).toLowerCase(),
  /** At most `max` characters, the last one "…" when cut. */
  truncate: (value, max) => truncate(stringify(value), Number(max)),
};

export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** How a value prints: objects and lists as JSON (not "[object Object]"), absent as nothing. */
export function stringify(value: unknown): string {
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

/** Unix seconds (or milliseconds), as a number or digits, to ISO 8601; anything else unchanged. */
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
