import { readFileSync } from 'node:fs';
import { Browser, chromium, Page } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core (no browser download). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
}

export async function signIn(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/console/login`);
  await page.fill('#token', token);
  await Promise.all([page.waitForURL(/\/console(\?|$)/), page.click('button[type=submit]')]);
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core's WCAG 2.1 A/AA checks on the current page; the serious and critical violations. axe is put in the page
 * through the DevTools protocol (the page's Content-Security-Policy rightly refuses an injected script tag).
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE);
  // a string, run in the page: this project's type check knows no DOM
  const results = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })`)) as {
    passes: unknown[];
    violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
  };
  if (!results.passes.length) throw new Error('axe checked nothing on this page'); // not loaded, or an empty page
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}
