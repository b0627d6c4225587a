/**
 * Folder boundaries, checked by `npm run lint` (so by `npm test` and CI).
 * Pure modules stay pure; services stay free of GraphQL; the product never reaches into tests.
 */
const IO = '^(node_modules/(typeorm|mysql2|better-sqlite3)/|(node:)?(fs|http|https|net|child_process)$)';

/** The features: folders of src/ that own a part of the domain. */
const FEATURES = '(incidents|refunds|remedies|reports|escalation|webhooks|people|drills|rulesets|idempotency)';
/**
 * What a feature offers the others (docs/architecture.md, "Feature boundaries"): files named by
 * their role — services, readers, stores, entities, types, errors, the state machine, the
 * GraphQL objects/inputs/mappers other resolvers compose, validation, listeners/events it
 * announces, roles, the SLA subjects it contributes — and a few files per feature named here.
 */
const FEATURE_PUBLIC = [
  '(\\.(service|services|reader|store|entity|entities|types|errors|state-machine|objects|inputs|mapper|validation|listener|events|roles)|-subjects)\\.ts$',
  '^src/webhooks/webhook-(outbox|events|signature)\\.ts$',
  '^src/escalation/(sla-clock|action-evidence)\\.ts$',
  '^src/incidents/(action-settlement|repeat-incidents\\.fact)\\.ts$',
  '^src/reports/(report-export\\.xlsx|report-filing\\.clock)\\.ts$',
  '^src/drills/drill-report\\.xlsx\\.ts$',
];
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle hides which module owns what (type-only imports excepted: they vanish at run time).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'pure-calendar-money',
      severity: 'error',
      comment: 'The business calendar and money are pure: no I/O, no other feature.',
      from: { path: '^src/(calendar|money)/', pathNot: '\\.spec\\.ts$' },
      to: { pathNot: ['^src/(calendar|money)/', '^node_modules/(luxon|@types/luxon)/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'pure-rules',
      severity: 'error',
      comment: 'Deciding is pure: the rule modules do no I/O (the pack loader reads files, nothing else does).',
      from: { path: '^src/rules/', pathNot: ['\\.spec\\.ts$', '^src/rules/rule-pack\\.loader\\.ts$', '^src/rules/pack-tests\\.ts$'] },
      to: { path: IO },
    },
    {
      name: 'services-without-graphql',
      severity: 'error',
      comment: 'Services throw coded domain errors; only resolvers and src/graphql speak GraphQL.',
      from: { path: '\\.(service|reader|store|worker|scheduler)\\.ts$' },
      to: { path: '^node_modules/(graphql|type-graphql|@apollo)/' },
    },
    {
      name: 'feature-boundaries',
      severity: 'error',
      comment: 'A feature uses another only through what that one offers (FEATURE_PUBLIC), never its internals (type-only imports vanish at run time).',
      from: { path: `^src/${FEATURES}/`, pathNot: '\\.spec\\.ts$' },
      to: { path: `^src/${FEATURES}/`, pathNot: ['^src/$1/', ...FEATURE_PUBLIC], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'product-not-tests',
      severity: 'error',
      comment: 'The product never imports tests or benchmarks.',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'migrations-standalone',
      severity: 'error',
      comment: 'Migrations are frozen history: they never import the live code they would drift with.',
      from: { path: '^migrations/' },
      // Derived tables (rollups) are rebuilt by the code that maintains them: that is the one import allowed.
      to: { path: '^src/', pathNot: '^src/reports/[a-z-]+-rollup\\.store\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
