import { DeadFilter } from '../console.service';
import { html, Html, query } from '../html';
import { DeadLetter } from '../../store/console-queries';
import { flash, layout, PageContext, when } from './layout';

export function deadPage(ctx: PageContext, filter: DeadFilter, sinks: string[], rows: DeadLetter[], total: number, notice?: string): Html {
  const next = rows.length === 50 ? rows[rows.length - 1].id : undefined;
  return layout('Dead letters', { ...ctx, active: 'dead' }, html`
${flash(notice)}
<form method="get" action="/console/dead" class="filters card" role="search" aria-label="Filter dead letters">
  <div class="field"><label for="d-sink">Sink</label><select id="d-sink" name="sink"><option value="">any</option>${sinks.map((s) => html`<option${s === filter.sink ? html` selected` : ''}>${s}</option>`)}</select></div>
  <div class="field"><label for="d-event">Event</label><input id="d-event" name="event" value="${filter.event ?? ''}" placeholder="name or glob"></div>
  <div class="field"><label for="d-since">Dead since</label><input id="d-since" name="since" value="${filter.since ?? ''}" placeholder="1h, 7d or a date"></div>
  <div class="actions"><button type="submit">Filter</button> <a href="/console/dead">Clear</a></div>
</form>
<p id="dead-count"><strong>${total}</strong> dead ${total === 1 ? 'delivery matches' : 'deliveries match'}.
  ${total ? html`<a class="button" href="/console/dead/confirm${query({ ...filter })}">Replay all ${total}…</a>` : ''}</p>
<table id="dead">
  <caption class="sr-only">Dead deliveries, newest first</caption>
  <thead><tr><th scope="col">Delivery</th><th scope="col">Event</th><th scope="col">Resource</th><th scope="col">Sink</th><th scope="col">Route</th><th scope="col" class="num">Attempts</th><th scope="col">Last error</th><th scope="col">Dead since</th><th scope="col"><span class="sr-only">Action</span></th></tr></thead>
  <tbody>${rows.map((d) => html`<tr>
    <td><a href="/console/events/${d.eventPk}#delivery-${d.id}">#${d.id}</a></td>
    <td>${d.event}</td><td>${d.resourceId ?? '—'}</td><td>${d.sink}</td><td>${d.route}</td><td class="num">${d.attempts}</td>
    <td class="error-text">${d.lastError ?? ''}</td><td>${when(d.updatedAt)}</td>
    <td><form method="post" action="/console/deliveries/${d.id}/replay" class="inline">
      <input type="hidden" name="_csrf" value="${ctx.csrf}"><input type="hidden" name="back" value="dead">
      <button type="submit" aria-label="Replay delivery ${d.id}">Replay</button></form></td>
  </tr>`)}</tbody>
</table>
<nav aria-label="Pages" class="pager">${next ? html`<a rel="next" href="/console/dead${query({ ...filter, before: next })}">Older</a>` : ''}</nav>`);
}

export function confirmPage(ctx: PageContext, filter: DeadFilter, count: number, maxId: number): Html {
  const described = [filter.sink && `sink ${filter.sink}`, filter.event && `event ${filter.event}`, filter.since && `dead since ${filter.since}`].filter(Boolean).join(', ');
  return layout('Replay dead letters', { ...ctx, active: 'dead' }, html`
<form method="post" action="/console/dead/replay" class="card confirm">
  <p id="confirm-text">Replay <strong>${count}</strong> dead ${count === 1 ? 'delivery' : 'deliveries'}${described ? ` (${described})` : ' (all sinks, all events)'}?
  They go back in the queue with a fresh retry budget and are sent again.${count > 10_000 ? ' The first 10,000 go now; confirm again for the rest.' : ''}</p>
  <input type="hidden" name="_csrf" value="${ctx.csrf}">
  <input type="hidden" name="sink" value="${filter.sink ?? ''}"><input type="hidden" name="event" value="${filter.event ?? ''}">
  <input type="hidden" name="since" value="${filter.since ?? ''}"><input type="hidden" name="maxId" value="${maxId}">
  <button type="submit">Replay ${count}</button> <a href="/console/dead${query({ ...filter })}">Cancel</a>
</form>`);
}
