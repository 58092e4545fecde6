import { readdirSync, readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { buildConfigSchema } from './config-schema';

describe('bridge.yaml JSON Schema', () => {
  const schema = buildConfigSchema();
  const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
  const check = (yaml: string) => (validate(parse(yaml) ?? {}) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`));

  it('is the committed config/bridge.schema.json (regenerate with `npm run schema`)', () => {
    expect(JSON.parse(readFileSync('config/bridge.schema.json', 'utf8'))).toEqual(schema);
  });

  it.each(['config/bridge.yaml', ...readdirSync('config/examples').map((f) => `config/examples/${f}`)])(
    'accepts %s, which points editors at it', (file) => {
      const text = readFileSync(file, 'utf8');
      expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=(\.\.\/|\.\/)bridge\.schema\.json$/);
      expect(check(text)).toEqual([]);
    },
  );

  it('accepts ${VAR} references in numeric fields and leaves defaulted keys optional', () => {
    expect(check('server: { port: "${PORT:-3000}" }\nretry: { attempts: 3 }\n')).toEqual([]);
  });

  it('flags what the loader refuses: unknown keys, unknown sink types, missing required options', () => {
    expect(check('server: { colour: blue }')).toContainEqual('/server must NOT have additional properties');
    expect(check('sinks: { a: { type: smoke } }').length).toBeGreaterThan(0);
    expect(check('sinks: { a: { type: http } }').join('\n')).toContain("must have required property 'url'");
    expect(check('routes: [{ name: a, to: [b] }]')).toContainEqual("/routes/0 must have required property 'match'");
    expect(check('server: { maxEventAge: soon }').length).toBeGreaterThan(0);
  });
});
