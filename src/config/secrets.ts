import { LoadedConfig } from './loaded-config';
import { EmailSinkConfig, HttpSinkConfig, KafkaSinkConfig, SlackSinkConfig } from './sink-config';

const SENSITIVE_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token)$/i;

/**
 * Every secret value the config holds: webhook secrets, signing secrets, credentials in URLs, Slack webhook
 * URLs (the URL is the credential), SASL passwords and sensitive header values. The logger redacts them all.
 */
export function collectSecrets(config: LoadedConfig): string[] {
  const secrets = [...config.jogg.secrets, ...config.jogg.endpoints.flatMap((e) => e.secrets), ...(config.admin.token ? [config.admin.token] : []), ...(config.jogg.apiKey ? [config.jogg.apiKey] : [])];
  if (config.store.url) secrets.push(...urlSecrets(config.store.url));
  for (const { config: sink } of config.sinks.values()) {
    if (sink.type === 'http') {
      const http = sink as HttpSinkConfig;
      secrets.push(...urlSecrets(http.url), ...(http.sign ? [http.sign.secret] : []));
      secrets.push(...Object.entries(http.headers).filter(([name]) => SENSITIVE_HEADER.test(name)).map(([, value]) => value));
    } else if (sink.type === 'slack') {
      const url = (sink as SlackSinkConfig).url;
      // the last path segment of a Slack webhook URL is its token (24 characters)
      const token = new URL(url).pathname.split('/').pop() ?? '';
      secrets.push(url, ...urlSecrets(url), ...(token.length >= 16 ? [token] : []));
    } else if (sink.type === 'email') {
      secrets.push(...urlSecrets((sink as EmailSinkConfig).smtp));
    } else if (sink.type === 'kafka') {
      const sasl = (sink as KafkaSinkConfig).sasl;
      if (sasl) secrets.push(sasl.password);
    }
  }
  return [...new Set(secrets.filter((secret) => secret.length >= 4))].sort((a, b) => b.length - a.length);
}

function urlSecrets(text: string): string[] {
  try {
    const url = new URL(text);
    return [decodeURIComponent(url.password), url.password].filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * A function that removes the given secrets, and anything shaped like a webhook signature, a bearer token or
 * URL credentials, from a text. Used for log lines and for the errors stored with deliveries.
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  return (text) => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join('[redacted]');
    return out
      .replace(/\b[0-9a-f]{64}\b/gi, '[redacted-signature]')
      .replace(/\bv1,[A-Za-z0-9+/]{43}=/g, 'v1,[redacted-signature]')
      .replace(/(bearer\s+)[^\s"',]+/gi, '$1[redacted]')
      .replace(/(smtps?:\/\/)[^@\s/]*@/gi, '$1[redacted]@');
  };
}
