import { JoggEnvelope, resourceId } from '../common/jogg-event';
import { LoadedSink } from '../config/loaded-config';
import { templateContext, TemplateSet } from '../templating';
import { definitionOf } from '../sinks/definitions';

/**
 * The key that orders a sink's deliveries, computed at ingest (so the store can hold a key's later deliveries
 * behind its earlier ones), or null when the sink keeps no order: the template its definition names as
 * `orderKeyField` (Kafka: the record key, HTTP: `orderKey`), else the resource id, else the event id.
 * The default costs a few property reads; a template is rendered once per delivery.
 */
export function orderKeyOf(sink: LoadedSink, envelope: JoggEnvelope, routeTemplates?: TemplateSet, endpoint: string | null = null): string | null {
  if (sink.config.ordering !== 'key') return null;
  const field = definitionOf(sink.config).orderKeyField;
  const template = field ? routeTemplates?.[field] ?? sink.templates[field] : undefined;
  if (template) return template.render(templateContext({ envelope, endpoint, receivedAt: 0, bridgeId: 0, deliveryId: 0 }));
  const data = envelope.data && typeof envelope.data === 'object' ? (envelope.data as Record<string, unknown>) : {};
  return resourceId(data) ?? envelope.event_id ?? null;
}
