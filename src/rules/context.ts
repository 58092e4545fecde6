import { errorCode, errorMessage, resourceId } from '../common/jogg-event';
import { SinkEvent } from '../sinks/sink';

/** What templates can read: the event's own fields, plus a few conveniences the bridge derives. */
export function templateContext(event: SinkEvent): Record<string, unknown> {
  const { envelope } = event;
  const data = isObject(envelope.data) ? envelope.data : {};
  return {
    event: envelope.event,
    event_id: envelope.event_id ?? null,
    timestamp: envelope.timestamp,
    time: new Date(envelope.timestamp * 1000).toISOString(),
    data,
    resource_id: resourceId(data) ?? null,
    error_message: errorMessage(data) ?? null,
    error_code: errorCode(data) ?? null,
    endpoint: event.endpoint,
    received_at: new Date(event.receivedAt).toISOString(),
    bridge_id: event.id,
    delivery_id: event.deliveryId,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
