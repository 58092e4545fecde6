import { urlSecrets } from '../../common/credentials';
import { SinkDefinition } from '../core/definition';
import { SlackSinkConfig, SlackTemplates } from './slack.config';
import { SlackSink } from './slack.sink';

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
  create: (name, templates, config) => new SlackSink(name, templates, config),
};
