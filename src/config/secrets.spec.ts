import { parseConfig } from './config.loader';
import { cutText } from '../common/cut-text';
import { collectSecrets, redactor, redactValue } from './secrets';

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
    expect(redact(`dedupe key sha256:${sig}`)).toBe(`dedupe key sha256:${sig}`); // a hash of a body, the bridge's own
  });
});

describe('redaction in every encoding', () => {
  const secret = 'a"b\\c/d é+e';
  const redact = redactor([secret, 'ab']);

  it.each([
    ['raw', secret],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
    ['JSON-escaped twice', JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1)],
    ['JSON with \\u escapes', JSON.stringify(secret).slice(1, -1).replace('é', '\\u00e9')],
    ['URL-encoded', encodeURIComponent(secret)],
    ['form-encoded', new URLSearchParams([['', secret]]).toString().slice(1)],
    ['base64', Buffer.from(secret).toString('base64')],
  ])('%s', (_name, form) => {
    expect(redact(`x ${form} y`)).toBe('x [redacted] y');
  });

  it('redacts the start of a secret left at the end of a cut text, and nothing else', () => {
    expect(redact(cutText(`HTTP 500: rejected ${secret}`, 24))).toBe('HTTP 500: rejected [redacted]…');
    expect(redact(`HTTP 500: rejected ${secret.slice(0, 5)} later…`)).toBe(`HTTP 500: rejected ${secret.slice(0, 5)} later…`);
    expect(redact('ends with a"b')).toBe('ends with a"b');
  });

  it('leaves a text that was not cut alone, even when it ends like the start of a secret ("http")', () => {
    const url = 'https://hooks.slack.com/services/T000/B000/XXXX';
    expect(redactor([url])('http')).toBe('http');
    expect(redactor([url])('"type":"http"')).toBe('"type":"http"');
    expect(redactor([url])(cutText(`HTTP 404: ${url}`, 14))).toBe('HTTP 404: [redacted]…');
  });

  it('leaves secrets shorter than 4 characters to structural redaction (text is not mangled)', () => {
    expect(redact('about a cab')).toBe('about a cab');
    expect(redactor(['ab'])('YWI= and about')).toBe('YWI= and about');
    expect(redactor(['a"'])('a%22')).toBe('a%22');
    expect(redactValue({ key: 'ab', list: ['ab', 'cab'], headers: { 'x-api-key': 'zz', 'x-team': 'ab-team' } }, ['ab'])).toEqual({
      key: '[redacted]', list: ['[redacted]', 'cab'], headers: { 'x-api-key': '[redacted]', 'x-team': 'ab-team' },
    });
  });

  it('keeps a JSON line valid when an unknown bearer token has an escaped quote', () => {
    const line = JSON.stringify({ message: 'sent Bearer xyz"tail' });
    expect(JSON.parse(redactor([])(line)).message).toBe('sent Bearer [redacted]"tail');
  });

  it('collects basic-auth and bearer credentials in the forms they are sent', () => {
    const config = parseConfig(`
sinks:
  a: { type: http, url: "http://u:p%22w@h/x", headers: { Authorization: "Basic ${Buffer.from('user:pw-9').toString('base64')}" } }
  b: { type: http, url: "http://h/y", headers: { x-auth-token: "Bearer tok-1" } }
  c: { type: http, url: "https://fn.example.net/api/hook?code=fn-key%2F42&api_key=k-77&sig=s1g&page=2&format=json&jwt=j-88&pass=p-99&sid=s-11" }
routes: []
`, 'f', {});
    const secrets = collectSecrets(config);
    for (const expected of ['p"w', Buffer.from('u:p"w').toString('base64'), 'user:pw-9', 'pw-9', 'tok-1', 'Bearer tok-1', 'fn-key/42', 'fn-key%2F42', 'k-77', 's1g', 'j-88', 'p-99', 's-11']) {
      expect(secrets).toContain(expected);
    }
    expect(secrets).not.toContain('2');
    expect(secrets).not.toContain('json');
  });
});
