import { EventRow, toEvent } from '../row-mapper';
import { EventInbox } from '../ports/event-inbox';
import { EventQuery, handedOff, IngestResult, NewEvent, StoredEvent } from '../store.types';
import { SqliteEngine } from './sqlite-engine';
import { WriterIngestResult } from './sqlite-writer';

/** The inbox on SQLite: ingests go to the writer thread (group commit); reads use the main thread's connection. */
export class SqliteEventInbox extends EventInbox {
  constructor(private readonly engine: SqliteEngine) {
    super();
  }

  async ingest(event: NewEvent): Promise<IngestResult> {
    const { id, duplicate, leased } = await this.engine.write<WriterIngestResult>({ kind: 'ingest', event });
    return leased ? { id, duplicate, claimed: handedOff(event, id, leased) } : { id, duplicate };
  }

  async getEvent(id: number): Promise<StoredEvent | undefined> {
    const row = this.engine.db.prepare(`SELECT * FROM events WHERE id = ?`).get(id) as EventRow | undefined;
    return row && toEvent(row);
  }

  async listEvents(query: EventQuery): Promise<StoredEvent[]> {
    const rows = this.engine.db
      .prepare(`SELECT * FROM events WHERE (@event IS NULL OR event = @event) AND (@since IS NULL OR received_at >= @since)
                AND (@before IS NULL OR id < @before) ORDER BY id DESC LIMIT @limit`)
      .all({ event: query.event ?? null, since: query.since ?? null, before: query.before ?? null, limit: query.limit ?? 100 }) as EventRow[];
    return rows.map(toEvent);
  }
}
