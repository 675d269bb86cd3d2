/** Architectural boundaries, checked in CI (npm run lint). */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-pure',
      comment:
        'The domain core imports nothing outside itself except pure libraries: zod (schemas) and ' +
        'transliteration (ASCII tables for names in any script, used by the Transliterate expression function; ' +
        'plain JavaScript data, no Node built-ins, no I/O).',
      severity: 'error',
      from: { path: '^shared/' },
      to: { pathNot: ['^shared/', '^node_modules/zod/', '^node_modules/transliteration/'] },
    },
    {
      name: 'shared-no-node-io',
      comment: 'The domain core does no I/O: no Node built-ins.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'agent-not-functions',
      comment: 'The agent never depends on the control plane.',
      severity: 'error',
      from: { path: '^agent/' },
      to: { path: '^functions/' },
    },
    {
      name: 'functions-only-through-agent-entry',
      comment: 'The control plane embeds the agent only through its declared entry point.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^agent/', pathNot: '^agent/index\\.ts$' },
    },
    {
      name: 'pino-only-in-logging-adapters',
      comment: 'Logging goes through the Logger port (shared/ports); only the adapter knows pino.',
      severity: 'error',
      from: { path: '^(shared|agent|functions)/', pathNot: '^agent/logging/pino-logger\\.ts$' },
      to: { path: '^node_modules/pino/' },
    },
    {
      name: 'orchestrators-are-control-flow',
      comment:
        'Orchestrators replay: they import only the pure core, durable names, their own helpers and ' +
        "durable-functions' types; never Node built-ins, adapters, activities or SDKs.",
      severity: 'error',
      from: { path: '^functions/orchestrations/' },
      to: {
        pathNot: [
          '^shared/',
          '^functions/orchestrations/',
          '^functions/app/durable-names\\.ts$',
          '^node_modules/durable-functions/',
        ],
      },
    },
    {
      name: 'orchestrators-no-node',
      severity: 'error',
      from: { path: '^functions/orchestrations/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'app-not-adapters',
      comment:
        'Handlers, activities and the app registration reach state, sources, the channel and secrets through ' +
        'ports; only composition roots (the local host root, the CLI, scripts) import adapters.',
      severity: 'error',
      from: { path: '^functions/(app|activities|http|orchestrations|config)/' },
      to: { path: '^functions/(adapters|local-host|cli)/' },
    },
    {
      name: 'azure-root-without-agent-and-local-host',
      comment:
        'The Azure app runs no embedded agent and no local host: nothing its root reaches, directly or not, is ' +
        'in agent/, functions/local-host/ or functions/cli/ (so none of it is deployed).',
      severity: 'error',
      from: { path: '^functions/azure/' },
      to: { path: '^(agent/|functions/(local-host|cli)/)', reachable: true },
    },
    {
      name: 'product-not-tests',
      severity: 'error',
      from: { path: '^(shared|agent|functions)/' },
      to: { path: '^(test|scripts)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|\\.tools|\\.data|\\.build)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'default', 'types'] },
  },
};
