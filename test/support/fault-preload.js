'use strict';
// Loaded with `node --require` into a bridge under test: simulates a bug on demand, to prove what the process
// does with an error no code path handles. SIGUSR2: a promise rejection nobody handles; SIGWINCH: a throw.
process.on('SIGUSR2', () => {
  void Promise.reject(new Error('deliberate unhandled rejection (test)'));
});
process.on('SIGWINCH', () => {
  setImmediate(() => {
    throw new Error('deliberate uncaught exception (test)');
  });
});
