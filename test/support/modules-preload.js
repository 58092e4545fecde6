'use strict';
// Loaded with `node --require` into a bridge under test: when the process exits, writes the files of every
// module it loaded (main thread) as a JSON array to $MODULES_REPORT, for tests of what the serve path loads.
const { writeFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

if (isMainThread && process.env.MODULES_REPORT) {
  process.on('exit', () => writeFileSync(process.env.MODULES_REPORT, JSON.stringify(Object.keys(require.cache))));
}
