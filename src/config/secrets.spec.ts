import { parseConfig } from './config.loader';
import { collectSecrets, redactor } from './secrets';

describe('secrets and redaction', () => {
  const config = parseConfig(`
jogg: { secrets: ["shared-secret-1", ""], endpoints: [{ name: videos, secrets: ["endpoint-secret-2"] }] }
sinks:
  hook: { type: http, url: "https://user:p%40ss-word@crm.example.com/x", headers: { Authorization: "Bearer tok-123456", x-team: ops }, sign: { secret: "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" } }
  slack: { type: slack, url: "https://hooks.slack.com/services/T0001/B0002/abcdefghijklmnopqrstuvwx" }
  mail: { type: email, smtp: "smtps://bridge:mail-secret-3@smtp.example.com:465", from: a@example.com, to: [b@example.com] }
  kafka: { type: kafka, brokers: [b:9092], topic: t, sasl: { mechanism: plain, username: u, password: kafka-secret-4 } }
routes: []
`, 'f', {});

  it('collects every secret the config holds, and no harmless value', () => {
    const secrets = collectSecrets(config);
    for (const expected of ['shared-secret-1', 'endpoint-secret-2', 'p@ss-word', 'Bearer tok-123456', 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
      'https://hooks.slack.com/services/T0001/B0002/abcdefghijklmnopqrstuvwx', 'abcdefghijklmnopqrstuvwx', 'mail-secret-3', 'kafka-secret-4']) {
      expect(secrets).toContain(expected);
    }
    expect(secrets).not.toContain('ops');
    expect(secrets).not.toContain('');
  });

  it('redacts secrets, signatures, bearer tokens and URL credentials', () => {
    const redact = redactor(collectSecrets(config));
    const sig = 'a'.repeat(64);
    expect(redact(`failed with shared-secret-1 and ${sig} and Bearer abc.def and smtp://x:y@h and v1,${'A'.repeat(43)}=`)).toBe(
      'failed with [redacted] and [redacted-signature] and Bearer [redacted] and smtp://[redacted]@h and v1,[redacted-signature]',
    );
  });
});
