/**
 * Where credentials hide inside config values: URLs with a password, sensitive header values. Sinks use these to
 * say which of their settings are secrets; the redaction (src/config/secrets.ts) removes what they return.
 */

/** Header names whose values are credentials: shown as "[redacted]" wherever a message's headers are shown. */
const SENSITIVE_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|passw|api-?key|auth|signature|session/i;

export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADER.test(name);
}

/** The password of a URL (decoded and as written) and its basic-auth form; nothing when it has none. */
export function urlSecrets(text: string): string[] {
  try {
    const url = new URL(text);
    if (!url.password) return [];
    const password = safeDecode(url.password);
    return [password, url.password, Buffer.from(`${safeDecode(url.username)}:${password}`).toString('base64')];
  } catch {
    return [];
  }
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
