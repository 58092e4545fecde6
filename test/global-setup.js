const { join } = require('node:path');

/** Tests that run the bridge as a child process use dist/: build it when a source is newer (swc, about a second). */
module.exports = async function globalSetup() {
  await require(join(__dirname, '..', 'scripts', 'build.js')).build({ ifStale: true, quiet: true });
};
