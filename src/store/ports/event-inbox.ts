import { EventQuery, IngestResult, NewEvent, StoredEvent } from '../store.types';

/**
 * The durable inbox: what the ingress accepted. A write resolves only once it is committed to disk; the
 * adapters group concurrent writes into one transaction.
 */
export abstract class EventInbox {
  /** Stores the event and its deliveries atomically, or reports it as a duplicate (same dedupe key). */
  abstract ingest(event: NewEvent): Promise<IngestResult>;
  abstract getEvent(id: number): Promise<StoredEvent | undefined>;
  abstract listEvents(query: EventQuery): Promise<StoredEvent[]>;
}
