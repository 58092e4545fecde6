import { html, Html, Part } from '../html';

export interface PageContext {
  /** The session's CSRF token (absent on the sign-in page). */
  csrf?: string;
  /** Which section of the navigation is current. */
  active?: 'overview' | 'events' | 'dead' | 'routes';
}

const NAV: { key: NonNullable<PageContext['active']>; href: string; label: string }[] = [
  { key: 'overview', href: '/console', label: 'Overview' },
  { key: 'events', href: '/console/events', label: 'Events' },
  { key: 'dead', href: '/console/dead', label: 'Dead letters' },
  { key: 'routes', href: '/console/routes', label: 'Routes' },
];

/** The page frame: skip link, navigation, sign-out (a POST with the CSRF token), main content. */
export function layout(title: string, ctx: PageContext, body: Part, scripts: string[] = []): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · jogg-bridge console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/console.css">
${scripts.includes('charts') ? html`<link rel="stylesheet" href="/console/assets/uplot.css">` : ''}
${scripts.includes('charts') ? html`<script src="/console/assets/uplot.js" defer></script>` : ''}
<script src="/console/assets/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <span class="brand">jogg-bridge</span>
  ${ctx.csrf ? html`<nav aria-label="Console">
    <ul>${NAV.map((n) => html`<li><a href="${n.href}"${n.key === ctx.active ? html` aria-current="page"` : ''}>${n.label}</a></li>`)}</ul>
  </nav>
  <form method="post" action="/console/logout" class="signout">
    <input type="hidden" name="_csrf" value="${ctx.csrf}">
    <button type="submit">Sign out</button>
  </form>` : ''}
</header>
<main id="main">
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`;
}

/** "2026-11-30 08:05:20 UTC" */
export function when(ms: number | null | undefined): string {
  if (!ms) return '—';
  return `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3600_000).toFixed(1)} h`;
}

export function badge(status: string, count?: number): Html {
  return html`<span class="badge ${status}">${count !== undefined ? `${count} ` : ''}${status}</span>`;
}

export function flash(text: string | undefined, kind: 'ok' | 'error' = 'ok'): Html {
  return text ? html`<p class="flash ${kind}" role="status">${text}</p>` : html``;
}
