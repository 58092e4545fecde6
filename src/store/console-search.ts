import { DeliveryStatus } from './store.types';
import { DeadLetterFilter, EventPage, EventRowSummary, EventSearch, TEXT_WINDOW } from './console-queries';

/**
 * The engine-neutral plan of an events-page query: which table drives it (so the page is read in id order from
 * an index and stops at the page size), and the conditions as fragments with named parameters. Values are always
 * parameters; only the fixed fragments below are ever put in the SQL.
 */
export interface SearchPlan {
  drive: 'events' | 'deliveries';
  where: string[];
  params: Record<string, unknown>;
  /** When the driving table is deliveries, the column that stands for the event id. */
  idColumn: string;
}

export interface SearchBounds {
  /** Id bounds that contain every event of the time range (from the received_at index). */
  lowId?: number;
  highId?: number;
  /** For a text search: the lowest id this page looks at. */
  textLow?: number;
}

/** Escapes LIKE wildcards so the text is matched literally (escape character: backslash). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function planSearch(search: EventSearch, bounds: SearchBounds, event?: string): SearchPlan {
  const byDeliveries = !!search.status && !search.resource;
  const id = byDeliveries ? 'd.event_pk' : 'e.id';
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  const add = (sql: string, name: string, value: unknown) => {
    where.push(sql);
    params[name] = value;
  };
  if (byDeliveries) add('d.status = @status', 'status', search.status);
  if (event !== undefined) add('e.event = @event', 'event', event);
  if (search.resource) add('e.resource_id = @resource', 'resource', search.resource);
  if (search.before !== undefined) add(`${id} < @before`, 'before', search.before);
  if (bounds.lowId !== undefined) add(`${id} >= @lowId`, 'lowId', bounds.lowId);
  if (bounds.highId !== undefined) add(`${id} <= @highId`, 'highId', bounds.highId);
  if (bounds.textLow !== undefined) add(`${id} >= @textLow`, 'textLow', bounds.textLow);
  if (search.from !== undefined) add('e.received_at >= @from', 'from', search.from);
  if (search.to !== undefined) add('e.received_at < @to', 'to', search.to);
  if (search.text) add(`LOWER(e.body) LIKE @text ESCAPE '\\'`, 'text', likePattern(search.text.toLowerCase()));
  if (search.status && !byDeliveries) add('EXISTS (SELECT 1 FROM deliveries d WHERE d.event_pk = e.id AND d.status = @status)', 'status', search.status);
  return { drive: byDeliveries ? 'deliveries' : 'events', where, params, idColumn: id };
}

/** Receipt times are taken before the commit that assigns ids, so ids follow them only within seconds. */
export const RECEIPT_SLACK_MS = 60_000;

/**
 * Runs a search: one index-ordered query per event name (a glob's names merged in id order, each query reading at
 * most a page), the text window, and the next-page marker.
 */
export async function runSearch(
  search: EventSearch,
  bounds: SearchBounds,
  query: (plan: SearchPlan) => Promise<Omit<EventRowSummary, 'deliveries'>[]>,
  summaries: (ids: number[]) => Promise<{ eventPk: number; status: DeliveryStatus; count: number }[]>,
): Promise<EventPage> {
  if (search.events && !search.events.length) return { events: [] };
  const names = search.events ?? [undefined];
  const pages = await Promise.all(names.map((name) => query(planSearch(search, bounds, name))));
  const rows = pages.flat().sort((a, b) => b.id - a.id).slice(0, search.limit);
  const counts = rows.length ? await summaries(rows.map((r) => r.id)) : [];
  const events: EventRowSummary[] = rows.map((row) => ({ ...row, deliveries: {} }));
  const byId = new Map(events.map((e) => [e.id, e]));
  for (const { eventPk, status, count } of counts) byId.get(Number(eventPk))!.deliveries[status] = Number(count);
  const page: EventPage = { events };
  if (rows.length === search.limit) page.next = rows[rows.length - 1].id;
  else if (bounds.textLow !== undefined && bounds.textLow > 1 && (bounds.lowId === undefined || bounds.textLow > bounds.lowId)) page.next = bounds.textLow;
  if (bounds.textLow !== undefined) page.searchedFrom = bounds.textLow;
  return page;
}

/** The text window below `before` (or the newest id): TEXT_WINDOW ids, no lower than the time range's. */
export function textLow(search: EventSearch, newestId: number): number | undefined {
  if (!search.text) return undefined;
  const top = search.before ?? newestId + 1;
  return Math.max(1, top - TEXT_WINDOW);
}

/** Dead-letter conditions as fixed fragments with named parameters (shared with PostgreSQL). */
export function deadWhere(filter: Omit<DeadLetterFilter, 'limit'>): { where: string; params: Record<string, unknown> } {
  const where = [`d.status = 'dead'`];
  const params: Record<string, unknown> = {};
  if (filter.sink) (where.push('d.sink = @sink'), (params.sink = filter.sink));
  if (filter.since !== undefined) (where.push('d.updated_at >= @since'), (params.since = filter.since));
  if (filter.maxId !== undefined) (where.push('d.id <= @maxId'), (params.maxId = filter.maxId));
  if (filter.before !== undefined) (where.push('d.id < @before'), (params.before = filter.before));
  if (filter.events) {
    if (!filter.events.length) where.push('1 = 0');
    filter.events.forEach((name, i) => (params[`ev${i}`] = name));
    if (filter.events.length) where.push(`e.event IN (${filter.events.map((_, i) => `@ev${i}`).join(', ')})`);
  }
  return { where: where.join(' AND '), params };
}
