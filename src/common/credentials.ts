/**
 * Where credentials hide inside config values: URLs with a password, sensitive header values. Sinks use these to
 * say which of their settings are secrets; the redaction (src/config/secrets.ts) removes what they return.
 */

/** Header names whose values are credentials: shown as "[redacted]" wherever a message's headers are shown. */
const SENSITIVE_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|passw|api-?key|auth|signature|session/i;

export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADER.test(name);
}

/** Query parameters whose values are credentials (`?token=`, `?api_key=`, Azure's `?sig=` and `?code=`). */
const SENSITIVE_PARAM = /token|secret|pass|pwd|api[-_]?key|^key$|auth|sig|session|^sid$|credential|^code$|jwt|hmac|bearer|^sas$/i;

/**
 * The credentials of a URL: its password (decoded and as written) with its basic-auth form and the SMTP AUTH PLAIN and
 * LOGIN forms a mail server may echo in an error, and the values of query parameters named like a credential.
 * Nothing when it has none.
 */
export function urlSecrets(text: string): string[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return [];
  }
  const out: string[] = [];
  if (url.password) {
    const user = safeDecode(url.username);
    const password = safeDecode(url.password);
    const base64 = (value: string) => Buffer.from(value).toString('base64');
    out.push(password, url.password, base64(`${user}:${password}`), base64(`\u0000${user}\u0000${password}`), base64(password));
  }
  for (const [name, value] of url.searchParams) {
    if (!SENSITIVE_PARAM.test(name) || !value) continue;
    out.push(value, encodeURIComponent(value));
    const raw = new RegExp(`[?&]${escapeRegExp(encodeURIComponent(name))}=([^&#]*)`).exec(url.search)?.[1];
    if (raw) out.push(raw);
  }
  return [...new Set(out)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The secrets among a header map: the values of sensitive headers, in the forms of headerSecrets. */
export function sensitiveHeaderSecrets(headers: Record<string, string>): string[] {
  return Object.entries(headers).filter(([name]) => isSensitiveHeader(name)).flatMap(([, value]) => headerSecrets(value));
}

/** "Bearer abc" → the value and "abc"; "Basic dTpw" → also "u:p" and "p". */
export function headerSecrets(value: string): string[] {
  const match = /^(\S+)\s+(.+)$/.exec(value.trim());
  if (!match) return [value];
  const [, scheme, credential] = match;
  const out = [value, credential];
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) out.push(decoded, decoded.slice(colon + 1));
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
