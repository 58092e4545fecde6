import { JoggEnvelope } from '../../common/jogg-event';
import { GroupInput, templateContext, TemplateRenderError, TemplateSet } from '../../templating';

/** A failure worth retrying (network, 5xx, 429); `retryAfterMs` is the server's own wish, if it said one. */
export class TransientSinkError extends Error {
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
    this.name = 'TransientSinkError';
  }
}

/** A failure that retrying cannot fix (4xx, bad payload): the delivery is dead-lettered at once. */
export class PermanentSinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentSinkError';
  }
}

/** One stored event as sinks see it. */
export interface SinkEvent {
  /** The bridge's own id of the event. */
  id: number;
  deliveryId: number;
  /** Which attempt of the delivery this is, 1-based (from the store's count); absent in dry runs, where nothing is sent. */
  attempt?: number;
  envelope: JoggEnvelope;
  /** The body exactly as JoggAI sent it. */
  body: string;
  endpoint: string | null;
  receivedAt: number;
}

/**
 * What every sink does: turn an event into its own message (pure, so it can be shown without sending),
 * send that message, report whether it is reachable, and release what it holds.
 */
export abstract class Sink<M = unknown> {
  abstract readonly type: string;

  constructor(readonly name: string, protected readonly templates: TemplateSet) {}

  /** Renders the message for this event; `overrides` are the route's templates for this sink type. */
  abstract render(event: SinkEvent, overrides?: TemplateSet): M;

  /**
   * Alerting: one message for a group of events (sinks whose definition says `groups: true` implement it); pure,
   * like render. `overrides` are the route's templates for this sink type.
   */
  renderGroup?(group: GroupInput, overrides?: TemplateSet): M;

  /** Sends; throws TransientSinkError or PermanentSinkError (anything else counts as transient). */
  abstract send(message: M, event: SinkEvent): Promise<void>;

  /**
   * The longest one send may take, when the sink bounds it. Claims for this sink are leased for at least
   * twice as long, so no other worker can claim (and send) a delivery while its send may still be running.
   */
  get maxSendMs(): number | undefined {
    return undefined;
  }

  /**
   * True when sends started together (in one turn) reach the destination in the order they were started and
   * fail or succeed together per order key (Kafka: one produce request, one partition per key, one request in
   * flight). Then the dispatcher may start several deliveries of one key at once; otherwise it sends one key's
   * deliveries one after the other.
   */
  get sendsTogetherInOrder(): boolean {
    return false;
  }

  /**
   * How many deliveries one send may carry (see sendBatch). The dispatcher's concurrency counts sends, so a lane keeps
   * up to concurrency × batchSize deliveries in flight. 1: one message per send.
   */
  get batchSize(): number {
    return 1;
  }

  /**
   * Sends several messages, in order; resolves to each one's failure (undefined: sent), never rejects. By default each
   * goes by send(), all started in this turn (HTTP: concurrent requests on the kept-alive pool; Kafka: one produce
   * request). A sink whose batchSize is above 1 sends a batch as one unit: its messages succeed or fail together.
   */
  sendBatch(items: readonly { message: M; event: SinkEvent }[]): Promise<unknown[]> {
    return Promise.all(items.map(({ message, event }) => this.send(message, event).then(() => undefined, failureOf)));
  }

  /** Throws when the sink cannot currently be reached. */
  async check(): Promise<void> {}

  async close(): Promise<void> {}

  protected template(field: string, overrides?: TemplateSet) {
    return overrides?.[field] ?? this.templates[field];
  }

  /** Runs a render; a template that cannot render this event (a limit) never will: dead-letter it at once. */
  protected rendering<T>(build: () => T): T {
    try {
      return build();
    } catch (error) {
      if (error instanceof TemplateRenderError) throw new PermanentSinkError(error.message);
      throw error;
    }
  }
}

/** A send's failure as a value: never undefined (which means sent). */
export function failureOf(error: unknown): unknown {
  return error ?? new Error('unknown failure');
}

/** What templates read about this event (templating takes a plain input, not a SinkEvent). */
export function templateContextOf(event: SinkEvent): Record<string, unknown> {
  return templateContext({
    envelope: event.envelope, endpoint: event.endpoint, receivedAt: event.receivedAt, bridgeId: event.id, deliveryId: event.deliveryId,
  });
}
