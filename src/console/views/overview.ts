import { groupLabelText } from '../../alerting/membership';
import { Overview } from '../console.service';
import { html, Html, jsonData } from '../html';
import { badge, duration, layout, PageContext, when } from './layout';

export function overviewPage(ctx: PageContext, o: Overview): Html {
  return layout('Overview', { ...ctx, active: 'overview' }, html`
<section aria-labelledby="h-traffic" class="grid">
  <h2 id="h-traffic" class="wide">Traffic</h2>
  ${o.windows.map(({ label, counts }) => {
    const totals = sumBy(counts.deliveries.map((d) => [d.status, d.count]));
    return html`<div class="card stat">
      <h3>${label}</h3>
      <p class="big">${counts.accepted}<span> events accepted</span></p>
      <p>${['delivered', 'pending', 'retrying', 'dead'].map((s) => badge(s, totals.get(s) ?? 0))}</p>
    </div>`;
  })}
  <div class="card stat">
    <h3>Webhook answers</h3>
    <p class="hint">Every instance, counted per minute (stored every 10 s).</p>
    ${o.answers.length ? html`<table><thead><tr><th scope="col">Answer</th><th scope="col" class="num">Last hour</th><th scope="col" class="num">Last 24 hours</th></tr></thead><tbody>
      ${o.answers.map((r) => html`<tr><th scope="row">${answerLabel(r.outcome)}</th><td class="num">${r.hour}</td><td class="num">${r.day}</td></tr>`)}</tbody></table>` : html`<p>None in the last 24 hours.</p>`}
  </div>
</section>
<section aria-labelledby="h-charts" class="grid">
  <h2 id="h-charts" class="wide">Over time</h2>
  ${chart('chart-hour', 'Last hour, per minute', o.series.hour)}
  ${chart('chart-day', 'Last 24 hours, per 15 minutes', o.series.day)}
</section>
<section aria-labelledby="h-sinks">
  <h2 id="h-sinks">Sinks</h2>
  <table>
    <caption>Health now, deliveries of the events received in each window, and receipt-to-delivery time (latest ${'20,000'} deliveries)</caption>
    <thead><tr><th scope="col">Sink</th><th scope="col">Health</th>${o.windows.map((w) => html`<th scope="col">${w.label}</th><th scope="col" class="num">p50 / p99</th>`)}<th scope="col" class="num">Dead waiting</th></tr></thead>
    <tbody>
    ${Object.entries(o.readiness.checks.sinks).map(([sink, check]) => html`<tr>
      <th scope="row">${sink}</th>
      <td>${badge(check.status === 'up' ? 'up' : 'down')}${check.circuit && check.circuit !== 'closed' ? html` <span class="hint">circuit ${check.circuit}</span>` : ''}${check.error ? html`<div class="hint">${check.error}</div>` : ''}</td>
      ${o.windows.map((w) => {
        const rows = w.counts.deliveries.filter((d) => d.sink === sink);
        const latency = w.counts.latency.find((l) => l.sink === sink);
        return html`<td>${rows.length ? rows.map((r) => badge(r.status, r.count)) : '—'}</td><td class="num">${latency ? `${duration(latency.p50)} / ${duration(latency.p99)}` : '—'}</td>`;
      })}
      <td class="num">${deadLink(sink, o.deadWaiting.find((d) => d.sink === sink)?.count ?? 0)}</td>
    </tr>`)}
    </tbody>
  </table>
</section>
<section aria-labelledby="h-alerting">
  <h2 id="h-alerting">Alerts waiting</h2>
  ${o.openGroups.length ? html`<table><caption>Groups still collecting: grouped alerts, digests, and alerts held until a route's active time opens</caption>
    <thead><tr><th scope="col">Group</th><th scope="col">Route → sink</th><th scope="col">Key</th><th scope="col" class="num">Events</th><th scope="col">Opened</th><th scope="col">Due</th></tr></thead>
    <tbody>${o.openGroups.map((g) => html`<tr><th scope="row">#${g.id}</th><td>${g.route} → ${g.sink}</td><td>${groupLabelText(g.key) || '—'}</td><td class="num">${g.members}</td><td>${when(g.openedAt)}</td><td>${when(g.dueAt)}</td></tr>`)}</tbody></table>`
    : html`<p>No group is collecting: every alert has gone out.</p>`}
  ${o.silences.length ? html`<table><caption>Silences in force or to come: matching deliveries are recorded, not sent</caption>
    <thead><tr><th scope="col">Silence</th><th scope="col">Matchers</th><th scope="col">From</th><th scope="col">Until</th><th scope="col">By</th><th scope="col">Why</th></tr></thead>
    <tbody>${o.silences.map((x) => html`<tr><th scope="row">#${x.id}</th><td><code>${x.matchers.map((m) => `${m.field}${m.op}${m.value}`).join(' ')}</code></td><td>${when(x.startsAt)}</td><td>${when(x.endsAt)}</td><td>${x.createdBy ?? '—'}</td><td>${x.comment}</td></tr>`)}</tbody></table>`
    : html`<p class="hint">No silence is in force.</p>`}
</section>
<section aria-labelledby="h-sync">
  <h2 id="h-sync">JoggAI sync</h2>
  <p>Sync ${badge(o.readiness.checks.sync?.status ?? 'off')}${o.readiness.checks.sync?.lastSuccessAt ? html` · last success ${when(o.readiness.checks.sync.lastSuccessAt)}` : ''}${o.readiness.checks.sync?.error ? html` · <span class="error-text">${o.readiness.checks.sync.error}</span>` : ''}</p>
  ${o.endpoints.length ? html`<table><caption>Endpoints in the config, and what the last sync (by any instance, or <code>sync apply</code>) did to each</caption>
    <thead><tr><th scope="col">Endpoint</th><th scope="col">Status</th><th scope="col">Events</th><th scope="col" class="num">Secrets known</th><th scope="col">Last sync</th><th scope="col">Synced at</th><th scope="col">Last success</th><th scope="col">Last error</th></tr></thead>
    <tbody>${o.endpoints.map((e) => html`<tr><th scope="row">${e.name}</th><td>${e.status}</td><td>${e.events}</td><td class="num">${e.secrets}</td>${syncCells(e.sync)}</tr>`)}</tbody></table>`
    : html`<p class="hint">No JoggAI endpoints are configured (jogg.endpoints); webhooks are verified with jogg.secrets.</p>`}
</section>`, ['charts']);
}

/** What each answer was, with its HTTP status. */
const ANSWERS: Record<string, string> = {
  accepted: 'accepted (200)', duplicate: 'duplicate (200)', bad_signature: 'bad signature (401)', malformed: 'bad request (400)',
  stale: 'too old or too far ahead (400)', too_large: 'too large (413)', unsupported_media_type: 'not JSON (415)',
  unknown_endpoint: 'unknown endpoint (404)', unavailable: 'unavailable (503)',
};

function answerLabel(outcome: string): string {
  return ANSWERS[outcome] ?? outcome.replace(/_/g, ' ');
}

function syncCells(sync: Overview['endpoints'][number]['sync']): Html {
  if (!sync) return html`<td colspan="4" class="hint">not synced yet</td>`;
  return html`<td><span class="badge sync-${sync.result}">${sync.result.replace('_', ' ')}</span></td><td>${when(sync.at)}</td><td>${sync.lastOkAt ? when(sync.lastOkAt) : 'never'}</td><td>${sync.error ? html`<span class="error-text">${sync.error}</span>` : '—'}</td>`;
}

function chart(id: string, title: string, series: Overview['series']['hour']): Html {
  const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return html`<figure class="card chart">
  <figcaption>${title}: ${total(series.received)} received, ${total(series.delivered)} delivered, ${total(series.dead)} dead-lettered, ${total(series.refused)} webhooks refused</figcaption>
  <div class="plot" data-series="${id}-data" role="img" aria-label="${title}: events received, deliveries delivered and dead-lettered, webhooks refused"></div>
  ${jsonData(`${id}-data`, series)}
</figure>`;
}

function deadLink(sink: string, count: number): Html {
  return count ? html`<a href="/console/dead?sink=${encodeURIComponent(sink)}">${count}</a>` : html`0`;
}

function sumBy(pairs: [string, number][]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const [key, n] of pairs) totals.set(key, (totals.get(key) ?? 0) + Number(n));
  return totals;
}
