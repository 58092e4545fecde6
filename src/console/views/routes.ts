import { stringify } from 'yaml';
import { JOGG_EVENTS } from '../../common/jogg-event';
import { DryRunResult } from '../../delivery/dry-run.service';
import { AlertingDecision, describeDecision } from '../../alerting/decision';
import { html, Html } from '../html';
import { message } from './detail';
import { badge, flash, layout, PageContext } from './layout';

export interface RoutesView {
  file: string;
  config: unknown;
  sample?: string;
  body: string;
  result?: DryRunResult;
  error?: string;
}

export function routesPage(ctx: PageContext, v: RoutesView): Html {
  return layout('Routes', { ...ctx, active: 'routes' }, html`
<section aria-labelledby="h-dry" class="card">
  <h2 id="h-dry">Dry run</h2>
  <p class="hint">Which routes a webhook body matches and what each sink would get. Nothing is sent or stored.</p>
  <form method="get" action="/console/routes" class="inline-fields">
    <label for="sample">Sample body</label>
    <select id="sample" name="sample">${JOGG_EVENTS.map((e) => html`<option${e === v.sample ? html` selected` : ''}>${e}</option>`)}</select>
    <button type="submit">Load sample</button>
  </form>
  <form method="post" action="/console/routes/test" id="dry-run">
    <input type="hidden" name="_csrf" value="${ctx.csrf}">
    ${v.sample ? html`<input type="hidden" name="sample" value="${v.sample}">` : ''}
    <label for="body">Webhook body (JSON)</label>
    <textarea id="body" name="body" rows="12" spellcheck="false">${v.body}</textarea>
    <button type="submit">Test</button>
  </form>
  ${flash(v.error, 'error')}
  ${v.result ? result(v.result) : ''}
</section>
<section aria-labelledby="h-config" class="card">
  <h2 id="h-config">Running config</h2>
  <p class="hint">${v.file}, secrets redacted.</p>
  <pre class="code" tabindex="0" aria-label="Running config">${stringify(v.config)}</pre>
</section>`);
}

function result(r: DryRunResult): Html {
  return html`<div id="dry-run-result" role="status">
  <h3>${r.event}: ${r.routes.length ? `${r.routes.length} route${r.routes.length === 1 ? '' : 's'} match` : 'no route matches'}</h3>
  ${r.routes.map((route) => html`<article class="route-result"><h4>Route ${route.route}</h4>
    ${route.deliveries.map((d) => html`<div class="sink-result"><h5>${d.sink} ${badge(d.type)}</h5>${alertingOf(d)}${message(d.message)}</div>`)}
  </article>`)}
</div>`;
}

/** What alerting would do with this delivery now (grouped, in a digest, held, silenced), as `routes test` says it. */
function alertingOf(delivery: object): Html | string {
  const alerting = (delivery as { alerting?: AlertingDecision }).alerting;
  return alerting ? html`<p class="alerting" role="note">${describeDecision(alerting)}</p>` : '';
}
