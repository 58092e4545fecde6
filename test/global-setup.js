const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

/** Tests that run the bridge as a child process use dist/: compile it first (incremental, so fast when unchanged). */
module.exports = async function globalSetup() {
  const root = join(__dirname, '..');
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
};
