// The layer rule for libs/db-optimizer (issue #9): each folder under src/lib imports only
// folders listed before it, and no file takes part in an import cycle. `npm run lint` runs it.
const LIB = '^libs/db-optimizer/src/lib/';
/** Bottom first. A folder may import itself and anything earlier in this list. */
const LAYERS = [
  'core',
  'options',
  'sql',
  'pg-catalog',
  'classify',
  'pool',
  'statements',
  'routing',
  'execution',
  'result-cache',
  'metrics',
  'analysis',
  'health|jobs',
  'drop-in',
  'request-context',
  'db-optimizer\\.[^/]+\\.ts$',
];

const upward = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `layer-${layer.replace(/[^a-z-|]/g, '')}`,
  comment: `${layer} sits below ${LAYERS.slice(index + 1).join(', ')}: it must not import them.`,
  severity: 'error',
  // Specs and test fixtures may reach up to build what they test; the rule is for the product code.
  from: { path: `${LIB}(${layer})(/|$)`, pathNot: ['\\.spec\\.ts$', '/testing/'] },
  to: { path: `${LIB}(${LAYERS.slice(index + 1).join('|')})` },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-cycle',
      comment: 'Import cycles hide the layer order; break them by moving the shared piece down.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'public-entry-only',
      comment: 'Apps and tools use the library through @db-optimizer/core, never its internals.',
      severity: 'error',
      // The bench measures internals on purpose (pool checkout without the facade).
      from: { path: '^(apps|tools)/', pathNot: ['\\.spec\\.ts$', '^tools/bench/'] },
      to: { path: LIB },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, dependencyTypes: ['local'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The Prisma test's generated client is Prisma's code, written at test time (git-ignored).
    exclude: { path: ['(^|/)(node_modules|dist|tmp)/', '^libs/db-optimizer/test/drop-in/prisma/generated/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
