import { SinkDefinition } from '../core/definition';
import { ConsoleSinkConfig, ConsoleTemplates } from './console.config';
import { ConsoleSink } from './console.sink';

export const consoleSink: SinkDefinition<ConsoleSinkConfig> = {
  type: 'console',
  configClass: ConsoleSinkConfig,
  templatesClass: ConsoleTemplates,
  templateFields: ['format'],
  secrets: () => [],
  create: (name, templates, config) => new ConsoleSink(name, templates, config),
};
