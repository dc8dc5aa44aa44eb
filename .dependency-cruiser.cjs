// The layer table of docs/ARCHITECTURE.md, checked by `npm run check:layers` (and so by CI).
// The rules follow the rows of the table; each names what that layer must never import.
// Tests beside core files (`*.test.ts`) may read fixtures and use test libraries: they are not a layer.

const TESTS = '\\.test\\.ts$';

// Node built-ins that do I/O (files, network, HTTP, processes, the machine).
const IO_BUILTINS =
  '^(node:)?(fs|fs/promises|net|http|https|http2|tls|dgram|dns|child_process|cluster|worker_threads|os|readline|stream|stream/promises|zlib|process|v8|vm|inspector)$';

module.exports = {
  forbidden: [
    {
      name: 'core-imports-only-core',
      comment:
        'src/core is the pure domain: it imports only other core modules (no contracts, database, use cases, HTTP, presenters, channels, jobs, storage or text).',
      severity: 'error',
      from: { path: '^src/core/', pathNot: TESTS },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'core-no-io',
      comment:
        'src/core does no I/O: no file system, network, HTTP, processes. node:crypto is allowed (hashing and HMAC are pure computations).',
      severity: 'error',
      from: { path: '^src/core/', pathNot: TESTS },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?crypto$' },
    },
    {
      name: 'core-only-pure-packages',
      comment:
        'src/core uses only pure libraries (luxon for calendar arithmetic). No database, HTTP or mail packages, no native modules, and no zod: request and configuration schemas are contracts (src/contracts).',
      severity: 'error',
      from: { path: '^src/core/', pathNot: TESTS },
      to: { path: '^node_modules/', pathNot: '^node_modules/luxon/' },
    },
    {
      name: 'contracts-no-io',
      comment:
        'src/contracts are zod schemas and types of what crosses a boundary: they import core (enums) and zod, nothing with I/O and no other layer.',
      severity: 'error',
      from: { path: '^src/contracts/', pathNot: TESTS },
      to: {
        path: `^src/(?!core/|contracts/)|${IO_BUILTINS}|^node_modules/(?!zod/|luxon/)`,
      },
    },
    {
      name: 'usecases-not-http-or-presenters',
      comment:
        'src/usecases never import HTTP (routes, request/reply, error mapping) or presenters: they return plain data and the caller shapes it.',
      severity: 'error',
      from: { path: '^src/usecases/' },
      to: { path: '^src/(http|presenters)/' },
    },
    {
      name: 'presenters-no-database-or-usecases',
      comment:
        'src/presenters shape plain data (core and contracts types) into responses: no database schema, no use cases, no HTTP, no I/O.',
      severity: 'error',
      from: { path: '^src/presenters/' },
      to: { path: `^src/(db|usecases|http|channels|jobs|storage|text)/|${IO_BUILTINS}` },
    },
    {
      name: 'presenters-no-io-packages',
      comment: 'src/presenters do no I/O (database drivers, HTTP frameworks, mail, logging).',
      severity: 'error',
      from: { path: '^src/presenters/' },
      to: { path: '^node_modules/', pathNot: '^node_modules/(zod|luxon|sanitize-html)/' },
    },
    {
      name: 'db-not-upward',
      comment:
        'src/db (schema, client, migrations, reference data) is below the use cases: it never imports use cases, HTTP, presenters, channels or jobs. Seeding through use cases is itself a use case.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/(usecases|http|presenters|channels|jobs)/' },
    },
    {
      name: 'text-is-a-leaf',
      comment: 'src/text (word segmentation, used by use cases and the routing facts) imports only core.',
      severity: 'error',
      from: { path: '^src/text/' },
      to: { path: '^src/(?!core/|text/)' },
    },
    {
      name: 'storage-is-a-leaf',
      comment: 'src/storage (attachment files, used by use cases) imports only core.',
      severity: 'error',
      from: { path: '^src/storage/' },
      to: { path: '^src/(?!core/|storage/)' },
    },
    {
      name: 'metrics-is-a-leaf',
      comment:
        'src/metrics (the Prometheus registry: counters that use cases, jobs and HTTP increment) imports no other layer.',
      severity: 'error',
      from: { path: '^src/metrics/' },
      to: { path: '^src/(?!metrics/)' },
    },
    {
      name: 'channels-not-http',
      comment:
        'src/channels (SMTP/IMAP intake, outbound gateways) are entry points beside HTTP, not behind it: they never import src/http.',
      severity: 'error',
      from: { path: '^src/channels/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'jobs-not-http-or-presenters',
      comment: 'src/jobs (periodic work) run use cases; they never import HTTP or presenters.',
      severity: 'error',
      from: { path: '^src/jobs/' },
      to: { path: '^src/(http|presenters)/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles: a cycle would tie two layers (or two modules of one) into one.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment: 'Every relative import resolves to a file (a typo would otherwise hide a layer breach).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
