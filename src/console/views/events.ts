import { EventFilter } from '../console.service';
import { html, Html, query } from '../html';
import { EventPage, EventRowSummary } from '../../store/console-queries';
import { DELIVERY_STATUSES } from '../../store/store.types';
import { settled } from '../live';
import { badge, layout, PageContext, when } from './layout';

export function eventsPage(ctx: PageContext, filter: EventFilter, page: EventPage): Html {
  const filtered = Object.entries(filter).some(([key, value]) => key !== 'before' && value);
  const live = !filtered && !filter.before;
  return layout('Events', { ...ctx, active: 'events' }, html`
<form method="get" action="/console/events" class="filters card" role="search" aria-label="Filter events">
  ${field('event', 'Event', filter.event, 'name or glob, e.g. *_failed')}
  ${field('resource', 'Resource id', filter.resource, 'video, task, avatar id')}
  ${field('q', 'Text in body', filter.q, 'any text')}
  ${field('from', 'From', filter.from, '1h, 7d or 2026-11-30T08:00Z')}
  ${field('to', 'To', filter.to, 'same forms')}
  <div class="field"><label for="f-status">Delivery status</label>
    <select id="f-status" name="status"><option value="">any</option>${DELIVERY_STATUSES.map((s) => html`<option${s === filter.status ? html` selected` : ''}>${s}</option>`)}</select></div>
  <div class="actions"><button type="submit">Filter</button> <a href="/console/events">Clear</a></div>
</form>
${live ? html`<p class="live"><button type="button" id="live-toggle" aria-pressed="false" data-after="${page.events[0]?.id ?? 0}">Live: off</button>
  <span id="live-status" role="status" aria-live="polite" class="hint">Turn on to see new events as they arrive.</span></p>` : ''}
${page.searchedFrom !== undefined ? html`<p class="hint">Text search looks through 200,000 events per page; this page searched event ids from ${page.searchedFrom} up.</p>` : ''}
<table id="events">
  <caption class="sr-only">Events, newest first</caption>
  <thead><tr><th scope="col">#</th><th scope="col">Received</th><th scope="col">Event</th><th scope="col">Resource</th><th scope="col">Endpoint</th><th scope="col">Deliveries</th></tr></thead>
  <tbody>${page.events.map(row)}</tbody>
</table>
${page.events.length ? '' : html`<p id="no-events">No events match.</p>`}
<nav aria-label="Pages" class="pager">
  ${filter.before ? html`<a href="/console/events${query({ ...filter, before: undefined })}">Newest</a>` : ''}
  ${page.next ? html`<a rel="next" href="/console/events${query({ ...filter, before: page.next })}">Older</a>` : ''}
</nav>`);
}

function field(name: string, label: string, value: string | undefined, placeholder: string): Html {
  return html`<div class="field"><label for="f-${name}">${label}</label><input id="f-${name}" name="${name}" value="${value ?? ''}" placeholder="${placeholder}"></div>`;
}

function row(e: EventRowSummary): Html {
  const statuses = Object.entries(e.deliveries);
  return html`<tr data-event="${e.id}"${settled(e.deliveries) ? '' : html` data-waiting`}>
  <td><a href="/console/events/${e.id}">${e.id}</a></td>
  <td>${when(e.receivedAt)}</td>
  <td>${e.event}</td>
  <td>${e.resourceId ?? '—'}</td>
  <td>${e.endpoint ?? 'shared'}</td>
  <td class="states">${e.routed === 0 ? html`<span class="hint">no route matched</span>` : statuses.map(([s, n]) => badge(s, n))}</td>
</tr>`;
}
