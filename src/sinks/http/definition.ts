import { sensitiveHeaderSecrets, urlSecrets } from '../../common/credentials';
import { SinkDefinition } from '../core/definition';
import { HttpSinkConfig, HttpTemplates } from './http.config';
import { HttpSink } from './http.sink';

export const httpSink: SinkDefinition<HttpSinkConfig> = {
  type: 'http',
  configClass: HttpSinkConfig,
  templatesClass: HttpTemplates,
  templateFields: ['body', 'orderKey'],
  typedLeafFields: ['body'],
  orderKeyField: 'orderKey',
  jsonFields: (config) => (jsonContentType(config) ? ['body'] : []),
  secrets: (config) => [...urlSecrets(config.url), ...(config.sign ? [config.sign.secret] : []), ...sensitiveHeaderSecrets(config.headers)],
  check: checkSigning,
  create: (name, templates, config) => new HttpSink(name, templates, config),
};

/** A body is sent as JSON unless a content-type header says otherwise. */
function jsonContentType(config: HttpSinkConfig): boolean {
  const entry = Object.entries(config.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type');
  return !entry || /json/i.test(entry[1]);
}

function checkSigning(config: HttpSinkConfig, report: (path: string[], message: string) => void): void {
  const secret = config.sign?.secret;
  if (secret === undefined) return;
  const key = secret.startsWith('whsec_') ? secret.slice(6) : '';
  if (!key || !/^[A-Za-z0-9+/]+={0,2}$/.test(key) || Buffer.from(key, 'base64').length < 16) {
    report(['sign', 'secret'], 'must be a Standard Webhooks secret: "whsec_" and at least 16 bytes of base64');
  }
}
