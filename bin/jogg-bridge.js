#!/usr/bin/env node
// The jogg-bridge command. Runs the compiled CLI; in a checkout it first rebuilds dist/ when a source is newer.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const entry = join(root, 'dist', 'cli', 'main.js');

async function main() {
  const builder = join(root, 'scripts', 'build.js');
  // @swc/core is a dev dependency: an install without it runs the dist/ it was given.
  if (existsSync(builder) && canResolve('@swc/core')) await require(builder).build({ ifStale: true, quiet: true });
  if (!existsSync(entry)) throw new Error('dist/ is missing: run npm ci && npm run build');
  await require(entry).runCli();
}

function canResolve(name) {
  try {
    require.resolve(name, { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

main().catch((error) => {
  process.stderr.write(`jogg-bridge: ${error.message}\n`);
  process.exit(1);
});
