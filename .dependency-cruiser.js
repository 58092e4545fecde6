/**
 * The architecture's import rules (docs/ARCHITECTURE.md), checked by `npm test`. Violations that existed when
 * a rule was written are listed in .dependency-cruiser-known-violations.json to be burned down; any new one
 * fails. After fixing some, shrink the list: npm run deps:baseline
 */
const NEST = '^node_modules/@nestjs/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment: 'Folders of src/ depend on each other in one direction: a cycle means neither can change (or be tested) alone.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'templating-is-a-leaf',
      comment: 'src/templating imports nothing of ours but src/common: sinks, rules and config use it, not the reverse.',
      severity: 'error',
      from: { path: '^src/templating/' },
      to: { path: '^src/', pathNot: '^src/(templating|common)/' },
    },
    {
      name: 'rules-and-templating-are-plain',
      comment: 'Routing rules and templates are plain code: no sink, no store, no Nest runtime.',
      severity: 'error',
      from: { path: '^src/(rules|templating)/' },
      to: { path: ['^src/(sinks|store)/', NEST] },
    },
    {
      name: 'store-knows-no-callers',
      comment: 'The store is used by delivery, ingress, ops, admin, cli, sync and sinks; it imports none of them.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(delivery|ingress|ops|admin|cli|sync|sinks|console)/' },
    },
    {
      name: 'store-engines-apart',
      comment: 'Each engine is its own folder of adapters: SQLite and PostgreSQL share only what is in src/store itself (ports, types, row mapping, the migration runner).',
      severity: 'error',
      from: { path: '^src/store/(sqlite|postgres)/' },
      to: { path: '^src/store/(sqlite|postgres)/', pathNot: '^src/store/$1/' },
    },
    {
      name: 'callers-use-store-ports',
      comment: 'Callers depend on the store ports (src/store/ports) and types, never on an engine\'s adapters: src/store/open-store.ts and the StoreModule choose the engine.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/store/' },
      to: { path: '^src/store/(sqlite|postgres)/' },
    },
    {
      name: 'ingress-not-sync',
      comment: 'Receiving webhooks must not depend on keeping endpoints in sync with JoggAI.',
      severity: 'error',
      from: { path: '^src/ingress/' },
      to: { path: '^src/sync/' },
    },
    {
      name: 'sinks-below-config',
      comment: 'A sink knows its own settings, not the config file: the loader reads the sinks\' table (src/sinks/definitions.ts), so sinks import only common and templating (the live registry is src/sink-registry).',
      severity: 'error',
      from: { path: '^src/sinks/' },
      to: { path: '^src/', pathNot: '^src/(sinks|common|templating)/' },
    },
    {
      name: 'sinks-not-delivery',
      comment: 'Sinks render and send one message; retries and scheduling (delivery) drive them, not the reverse.',
      severity: 'error',
      from: { path: '^src/sinks/' },
      to: { path: '^src/delivery/' },
    },
  ],
  options: {
    includeOnly: '^src/|^node_modules/@nestjs/',
    // tests may reach across folders; the rules are about what ships
    exclude: { path: '\\.spec\\.ts$' },
    doNotFollow: { path: 'node_modules' },
    // type-only imports are dependencies too: they tie one folder's code to another's
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['cjs', 'es6'],
  },
};
