import { SinkDefinition } from '../core/definition';
import { KafkaSinkConfig, KafkaTemplates } from './kafka.config';

export const kafkaSink: SinkDefinition<KafkaSinkConfig> = {
  type: 'kafka',
  configClass: KafkaSinkConfig,
  templatesClass: KafkaTemplates,
  templateFields: ['topic', 'key', 'value', 'headers'],
  typedLeafFields: ['value'],
  // the record key orders a partition, so it is the order key too
  orderKeyField: 'key',
  secrets: (config) => (config.sasl ? [config.sasl.password] : []),
  // loaded when a sink of this type is configured: its client library stays out of memory otherwise
  create: (name, templates, config) => new (require('./kafka.sink') as typeof import('./kafka.sink')).KafkaSink(name, templates, config),
};
