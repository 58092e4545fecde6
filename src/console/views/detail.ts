import { DeliveryView, EventDetail } from '../console.service';
import { html, Html } from '../html';
import { badge, duration, flash, layout, PageContext, when } from './layout';

export function eventPage(ctx: PageContext, e: EventDetail, notice?: string): Html {
  const waiting = e.deliveries.some((d) => d.status === 'pending' || d.status === 'retrying');
  return layout(`Event #${e.id} · ${e.event}`, { ...ctx, active: 'events' }, html`
${flash(notice)}
<section aria-labelledby="h-receipt" class="card">
  <h2 id="h-receipt">Receipt</h2>
  <dl class="facts">
    <dt>Received</dt><dd>${when(e.receivedAt)}</dd>
    <dt>JoggAI timestamp</dt><dd>${when(e.timestamp * 1000)}</dd>
    <dt>Event id</dt><dd>${e.eventId ?? 'none (deduplicated by a hash of the body)'}</dd>
    <dt>Verified with</dt><dd>${e.endpoint ? html`the secrets of endpoint <strong>${e.endpoint}</strong> (/webhooks/jogg/${e.endpoint})` : 'the shared secrets (jogg.secrets, /webhooks/jogg)'}</dd>
    <dt>Dedupe key</dt><dd><code>${e.dedupeKey}</code></dd>
  </dl>
  <p class="hint">Request headers are not stored (they carry the signature); the body is kept byte for byte.</p>
</section>
<section aria-labelledby="h-body" class="card">
  <h2 id="h-body">Body</h2>
  <pre class="code" tabindex="0" aria-label="Body, pretty-printed">${e.pretty}</pre>
  <details><summary>Exactly as received</summary><pre class="code" tabindex="0" aria-label="Body as received">${e.raw}</pre></details>
</section>
<section aria-labelledby="h-routes" class="card">
  <h2 id="h-routes">Routes</h2>
  <table>
    <caption class="hint">Evaluated now with the running config, in order</caption>
    <thead><tr><th scope="col">Route</th><th scope="col">Matches</th><th scope="col">Why</th><th scope="col">Sinks</th></tr></thead>
    <tbody>${e.routes.map((r) => html`<tr><th scope="row">${r.route}</th><td>${r.matched ? badge('yes') : badge('no')}</td><td>${r.reason}</td><td>${r.to.join(', ')}</td></tr>`)}</tbody>
  </table>
</section>
<section aria-labelledby="h-deliveries" id="deliveries"${waiting ? html` data-refresh="2000"` : ''}>
  <h2 id="h-deliveries">Deliveries</h2>
  ${e.deliveries.length || e.groups.length ? e.deliveries.map((d) => delivery(ctx, d)) : html`<p>No route matched when it was received: no deliveries.</p>`}
  ${e.groups.length ? groupsOf(e) : ''}
</section>`);
}

/** Alerting: the group messages and digests the event went (or goes) out in: its alerts are there, not deliveries of its own. */
function groupsOf(e: EventDetail): Html {
  return html`<section aria-labelledby="h-groups" class="card">
  <h3 id="h-groups">Sent in group messages</h3>
  <p class="hint">These alerts go out as one message per group (grouping, a digest, or held until the route's active time opens).</p>
  <table>
    <thead><tr><th scope="col">Group</th><th scope="col">Route → sink</th><th scope="col" class="num">Events</th><th scope="col">State</th><th scope="col">Message</th></tr></thead>
    <tbody>${e.groups.map((g) => html`<tr><th scope="row">#${g.id}</th><td>${g.route} → ${g.sink}</td><td class="num">${g.members}</td>
      <td>${g.deliveryId === null ? html`${badge('collecting')} due ${when(g.dueAt)}` : html`${badge('closed')} ${when(g.flushedAt ?? g.dueAt)}`}</td>
      <td>${g.delivery ? html`<a href="/console/events/${g.delivery.eventPk}#delivery-${g.delivery.id}">delivery #${g.delivery.id}</a> ${badge(g.delivery.status)}` : g.deliveryId === null ? 'not yet sent' : html`delivery #${g.deliveryId}`}</td></tr>`)}</tbody>
  </table>
</section>`;
}

function delivery(ctx: PageContext, d: DeliveryView): Html {
  return html`<article class="card delivery" id="delivery-${d.id}" aria-labelledby="h-delivery-${d.id}">
  <h3 id="h-delivery-${d.id}">${d.sink} <span class="hint">via route ${d.route}</span> ${badge(d.status)}</h3>
  <dl class="facts">
    <dt>Delivery</dt><dd>#${d.id}</dd>
    <dt>Attempts</dt><dd>${d.attempts}${d.attemptsBeforeReplay ? ` (${d.attemptsBeforeReplay} before the latest replay or while the sink was down)` : ''}</dd>
    ${d.status === 'pending' || d.status === 'retrying' ? html`<dt>Next attempt</dt><dd>${when(d.nextAt)}</dd>` : ''}
    ${d.status === 'silenced' && d.silenceId !== null ? html`<dt>Silenced by</dt><dd>silence #${d.silenceId} (recorded, not sent)</dd>` : ''}
    ${d.lastError ? html`<dt>Last error</dt><dd class="error-text">${d.lastError}</dd>` : ''}
  </dl>
  ${d.status === 'dead' || d.status === 'delivered' || d.status === 'silenced' ? html`<form method="post" action="/console/deliveries/${d.id}/replay" class="inline">
    <input type="hidden" name="_csrf" value="${ctx.csrf}">
    <button type="submit">${REPLAY_LABEL[d.status]}</button>
  </form>` : ''}
  ${d.history.length ? html`<table class="timeline">
    <caption>Attempts</caption>
    <thead><tr><th scope="col">#</th><th scope="col">Started</th><th scope="col" class="num">Took</th><th scope="col">Result</th><th scope="col">Error</th></tr></thead>
    <tbody>${d.history.map((a) => html`<tr><td>${a.attempt}</td><td>${when(a.startedAt)}</td><td class="num">${duration(a.durationMs)}</td><td>${badge(a.outcome)}</td><td class="error-text">${a.error ?? ''}</td></tr>`)}</tbody>
  </table>` : html`<p class="hint">No attempt yet.</p>`}
  <details${d.status === 'dead' ? html` open` : ''}><summary>Message${d.message !== undefined ? '' : ' (cannot be rendered)'}</summary>
    <p class="hint">Rendered from the stored body with the running config, as the sink sends it; credentials redacted.</p>
    ${d.messageError ? html`<p class="error-text">${d.messageError}</p>` : message(d.message)}
  </details>
</article>`;
}

/** A rendered message: its text fields as text, the rest as pretty JSON. */
export function message(value: unknown): Html {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return html`<pre class="code" tabindex="0">${pretty(value)}</pre>`;
  return html`<dl class="message">${Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).map(([key, v]) => html`
    <dt>${key}</dt><dd><pre class="code" tabindex="0" aria-label="${key}">${pretty(v)}</pre></dd>`)}</dl>`;
}

function pretty(value: unknown): string {
  if (typeof value === 'string') {
    try {
      const parsed = JSON.parse(value);
      if (parsed && typeof parsed === 'object') return JSON.stringify(parsed, null, 2);
    } catch {
      // plain text
    }
    return value;
  }
  if (Buffer.isBuffer(value)) return value.toString();
  return JSON.stringify(value, null, 2) ?? String(value);
}

const REPLAY_LABEL: Record<string, string> = { dead: 'Replay', delivered: 'Send again', silenced: 'Send anyway' };
