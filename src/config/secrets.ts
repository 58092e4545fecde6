import { isSensitiveHeader, urlSecrets } from '../common/credentials';
import { CUT_MARK } from '../common/cut-text';
import { definitionOf } from '../sinks/definitions';
import { LoadedConfig } from './loaded-config';

export const REDACTED = '[redacted]';

/**
 * Secrets shorter than this are not searched for in free text (logs, error messages): "ab" would mangle
 * every word that contains it. They are still hidden wherever the bridge knows where they are (the config
 * view, header values, whole strings equal to them).
 */
export const MIN_TEXT_SECRET = 4;

/**
 * Every secret value the config holds, whatever its length: webhook secrets, the admin token, the API key,
 * the store URL's password, and what each sink's definition lists from its settings (signing secrets,
 * credentials in URLs and their basic-auth form, Slack webhook URLs, SASL passwords, sensitive header values
 * and the credential after their scheme). The logger redacts them all.
 */
export function collectSecrets(config: LoadedConfig): string[] {
  const secrets = [...config.jogg.secrets, ...config.jogg.endpoints.flatMap((e) => e.secrets), ...(config.admin.token ? [config.admin.token] : []), ...(config.jogg.apiKey ? [config.jogg.apiKey] : [])];
  if (config.store.url) secrets.push(...urlSecrets(config.store.url));
  for (const { config: sink } of config.sinks.values()) secrets.push(...definitionOf(sink).secrets(sink));
  return [...new Set(secrets.filter((secret) => secret.length > 0))].sort((a, b) => b.length - a.length);
}

/**
 * The forms a secret takes in text: raw, JSON-escaped (once and twice: an error body quoted in a JSON log
 * line), with \u escapes, URL-encoded (component, URI, form) and base64.
 */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_TEXT_SECRET) return []; // its encoded forms are no safer to search for
  const json = (text: string) => JSON.stringify(text).slice(1, -1);
  const unicode = (text: string, hex: (code: string) => string) => text.replace(/[^\x20-\x7e]/g, (c) => `\\u${hex(c.charCodeAt(0).toString(16).padStart(4, '0'))}`);
  const component = encodeURIComponent(secret);
  const forms = [
    secret, json(secret), json(json(secret)), unicode(json(secret), (h) => h), unicode(json(secret), (h) => h.toUpperCase()),
    component, encodeURI(secret), component.replace(/%20/g, '+'), new URLSearchParams([['', secret]]).toString().slice(1),
    Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'),
  ];
  return forms.filter((form) => form.length >= MIN_TEXT_SECRET);
}

/**
 * A function that removes the given secrets (in every form of secretForms), and anything shaped like a
 * webhook signature, a bearer token or URL credentials, from a text. Used for log lines, the errors stored
 * with deliveries, admin answers and CLI output. Secrets shorter than MIN_TEXT_SECRET are left to
 * structural redaction (redactValue).
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const forms = [...new Set(secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    for (const form of forms) out = redactCutTail(out, form);
    return out
      // not a dedupe key (`sha256:` and the body's hash): the bridge's own, and no secret
      .replace(/(?<!sha256:)\b[0-9a-f]{64}\b/gi, '[redacted-signature]')
      .replace(/\bv1,[A-Za-z0-9+/]{43}=/g, 'v1,[redacted-signature]')
      // a backslash ends the token too: a JSON-escaped quote must stay an escape, or the JSON line breaks
      .replace(/(bearer\s+)[^\s"',\\]+/gi, `$1${REDACTED}`)
      .replace(/(smtps?:\/\/)[^@\s/]*@/gi, `$1${REDACTED}@`)
      .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:@/\s"]*:)[^@/\s"]+@/gi, `$1${REDACTED}@`);
  };
}

/**
 * A cut text (ending in CUT_MARK) that ends with the start of a secret (4 characters or more) loses that start.
 * Texts that were not cut are left alone: "http" is the start of many URL secrets and of many harmless words.
 */
function redactCutTail(text: string, form: string): string {
  if (!text.endsWith(CUT_MARK)) return text;
  const body = text.slice(0, -CUT_MARK.length);
  const at = body.lastIndexOf(form.slice(0, MIN_TEXT_SECRET));
  if (at < 0 || body.length - at >= form.length || !form.startsWith(body.slice(at))) return text;
  return `${body.slice(0, at)}${REDACTED}${CUT_MARK}`;
}

/**
 * Redacts a value about to be shown (admin answers, CLI JSON): every string equal to a secret (any length)
 * becomes "[redacted]", every other string goes through `redact`, and the values of sensitive entries in
 * any `headers` map are redacted whole. Returns plain data (JSON round trip).
 */
export function redactValue(value: unknown, secrets: readonly string[], redact = redactor(secrets)): unknown {
  const exact = new Set(secrets);
  const walk = (node: unknown, inHeaders: boolean): unknown => {
    if (typeof node === 'string') return exact.has(node) ? REDACTED : redact(node);
    if (Array.isArray(node)) return node.map((item) => walk(item, false));
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).map(([key, item]) => [
      key,
      inHeaders && typeof item === 'string' && isSensitiveHeader(key) ? REDACTED : walk(item, key === 'headers'),
    ]));
  };
  const plain = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  return walk(plain, false);
}

export interface Redaction {
  secrets: readonly string[];
  text: (text: string) => string;
  value: (value: unknown) => unknown;
}

const cache = new WeakMap<LoadedConfig, Redaction>();

/** The redaction for one loaded config (built once per config: the secret forms cost a little to compute). */
export function redactionFor(config: LoadedConfig): Redaction {
  let redaction = cache.get(config);
  if (!redaction) {
    const secrets = collectSecrets(config);
    const text = redactor(secrets);
    redaction = { secrets, text, value: (value) => redactValue(value, secrets, text) };
    cache.set(config, redaction);
  }
  return redaction;
}
