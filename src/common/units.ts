const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3 };

/** Parses "500ms", "30s", "10m", "72h", "7d", "1h30m" (or a number of milliseconds) into milliseconds. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    total += Number(amount) * DURATION_UNITS[unit];
  }
  return Math.round(total);
}

/** Parses "1mb", "512kb", "2MiB" (binary units) or a number of bytes. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)?$/i.exec(value.trim());
  if (!match) return undefined;
  const factor = SIZE_UNITS[(match[2] ?? 'b').toLowerCase()];
  if (!factor) return undefined;
  const bytes = Math.round(Number(match[1]) * factor);
  return bytes > 0 ? bytes : undefined;
}

export function formatDuration(ms: number): string {
  for (const [unit, factor] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= factor && ms % factor === 0) return `${ms / factor}${unit}`;
  }
  return `${ms}ms`;
}

/** `1 event`, `2 events`: a count with its noun (English plural in -s). */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
