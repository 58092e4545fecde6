import { html, Html } from '../html';
import { layout } from './layout';

export function loginPage(error?: string, next?: string): Html {
  return layout('Sign in', {}, html`
<form method="post" action="/console/login${next ? `?next=${encodeURIComponent(next)}` : ''}" class="card login">
  ${error ? html`<p class="flash error" role="alert" id="login-error">${error}</p>` : ''}
  <label for="token">Admin token</label>
  <input id="token" name="token" type="password" autocomplete="current-password" required${error ? html` aria-describedby="login-error"` : ''}>
  <p class="hint">The value of BRIDGE_ADMIN_TOKEN. The session lasts 8 hours.</p>
  <button type="submit">Sign in</button>
</form>`);
}
