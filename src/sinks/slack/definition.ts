import { urlSecrets } from '../../common/credentials';
import { SinkDefinition } from '../core/definition';
import { SlackSinkConfig, SlackTemplates } from './slack.config';

export const slackSink: SinkDefinition<SlackSinkConfig> = {
  type: 'slack',
  configClass: SlackSinkConfig,
  templatesClass: SlackTemplates,
  templateFields: ['text', 'blocks', 'group_text', 'group_blocks'],
  groups: true,
  secrets: ({ url }) => {
    // the URL is the credential; its last path segment is the webhook's token (24 characters)
    const token = new URL(url).pathname.split('/').pop() ?? '';
    return [url, ...urlSecrets(url), ...(token.length >= 16 ? [token] : [])];
  },
  // loaded when a sink of this type is configured: its client library stays out of memory otherwise
  create: (name, templates, config) => new (require('./slack.sink') as typeof import('./slack.sink')).SlackSink(name, templates, config),
};
