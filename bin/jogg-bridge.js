#!/usr/bin/env node
// The jogg-bridge command. Runs the compiled CLI; in a fresh checkout it compiles it first.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const entry = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('jogg-bridge: compiling (first run in this checkout)...\n');
  const { execFileSync } = require('node:child_process');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
}
require(entry).runCli().catch((error) => {
  process.stderr.write(`jogg-bridge: ${error.message}\n`);
  process.exit(1);
});
