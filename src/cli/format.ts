import { parseSince as parseSinceValue } from '../config/since';
import { CliError } from './cli-error';
import { LoadedConfig } from '../config/loaded-config';
import { Redaction, redactionFor } from '../config/secrets';
import { suggest } from '../common/did-you-mean';

/** A plain text table: columns padded to their widest cell. */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : visible(String(cell)))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/** `--since 1h` (a duration back from now) or an ISO date, as ms since the epoch. */
export function parseSince(value: string | undefined, now = Date.now()): number | undefined {
  try {
    return parseSinceValue(value, now);
  } catch (error) {
    throw new CliError(`--${(error as Error).message}`);
  }
}

export function isoTime(ms: number | null | undefined): string {
  return ms ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : '';
}

export function truncate(text: string | null | undefined, max = 60): string {
  if (!text) return '';
  const line = text.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function parseId(value: string, what = 'id'): number {
  if (!/^\d+$/.test(value)) throw new CliError(`${what} must be a positive integer, not "${value}"`);
  return Number(value);
}

let redaction: Redaction | undefined;

/** From now on, output shows no secret of this config (stored errors, dry runs, events). */
export function redactOutputFor(config: LoadedConfig): void {
  redaction = redactionFor(config);
}

/** A text as the CLI may show it (secrets of the loaded config removed). */
export function redactText(text: string): string {
  return redaction ? redaction.text(text) : text;
}

export function print(text: string): void {
  write(redactText(text));
}

export function printJson(value: unknown): void {
  write(JSON.stringify(redaction ? redaction.value(value) : value, null, 2));
}

function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Control characters in stored text (a comment, an error) shown as escapes: in a table they would act on the terminal. */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `the config has no sink "crn" (did you mean "crm"?)`: a name the config lacks, for the notes and errors that say so. */
export function notConfigured(kind: 'sink' | 'route', name: string, known: readonly string[]): string {
  return `the config has no ${kind} "${name}"${suggest(name, known, `${kind}s`, ` (it has no ${kind}s)`)}`;
}
