import { errorCode, errorMessage, JoggEnvelope, resourceId } from '../common/jogg-event';

/** What a template is rendered for: one stored event and the delivery at hand (sinks adapt their event to it). */
export interface TemplateInput {
  envelope: JoggEnvelope;
  endpoint: string | null;
  receivedAt: number;
  /** The bridge's own id of the event. */
  bridgeId: number;
  deliveryId: number;
}

/** What templates can read: the event's own fields, plus a few conveniences the bridge derives. */
export function templateContext(input: TemplateInput): Record<string, unknown> {
  const { envelope } = input;
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
    endpoint: input.endpoint,
    received_at: new Date(input.receivedAt).toISOString(),
    bridge_id: input.bridgeId,
    delivery_id: input.deliveryId,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
