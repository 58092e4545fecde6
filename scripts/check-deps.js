#!/usr/bin/env node
/**
 * Checks the import rules of .dependency-cruiser.js; violations listed in
 * .dependency-cruiser-known-violations.json (the baseline) are tolerated, any other one fails.
 * dependency-cruiser's own --ignore-known skips known module violations but not folder cycles (scope:
 * "folder"), so the baseline is applied here, to both. `--baseline` rewrites the baseline from what is found.
 */
const { spawnSync } = require('node:child_process');
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const BASELINE = join(ROOT, '.dependency-cruiser-known-violations.json');
const bin = join(ROOT, 'node_modules', '.bin', 'depcruise');

const run = spawnSync(bin, ['src', '--config', '.dependency-cruiser.js', '--output-type', 'json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
if (run.error || !run.stdout) {
  console.error(run.error?.message ?? run.stderr);
  process.exit(2);
}
const found = JSON.parse(run.stdout).summary.violations;

if (process.argv.includes('--baseline')) {
  writeFileSync(BASELINE, `${JSON.stringify(found.map(baselineEntry), null, 2)}\n`);
  console.log(`baseline: ${found.length} known violation(s) written to .dependency-cruiser-known-violations.json`);
  process.exit(0);
}

const known = new Set(JSON.parse(readFileSync(BASELINE, 'utf8')).map(key));
const fresh = found.filter((violation) => !known.has(key(violation)));
for (const violation of fresh) console.error(`  ${violation.rule.severity} ${violation.rule.name}: ${describe(violation)}`);
console.log(`import rules: ${found.length - fresh.length} known violation(s) (listed in .dependency-cruiser-known-violations.json), ${fresh.length} new`);
process.exit(fresh.length ? 1 : 0);

function baselineEntry(violation) {
  const { type, from, to, rule, cycle } = violation;
  return { type, from, to, rule, ...(cycle ? { cycle: cycle.map((step) => ({ name: step.name })) } : {}) };
}

/** One violation's identity: rule, ends and, for a cycle, the folders or modules it goes through. */
function key(violation) {
  const cycle = (violation.cycle ?? []).map((step) => step.name).join(' → ');
  return `${violation.rule.name}|${violation.type}|${violation.from}|${violation.to}|${cycle}`;
}

function describe(violation) {
  if (!violation.cycle) return `${violation.from} → ${violation.to}`;
  return [violation.from, ...violation.cycle.map((step) => step.name)].join(' → ');
}
