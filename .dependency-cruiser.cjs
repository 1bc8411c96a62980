// Architecture rules checked in CI (npm run lint:arch, part of npm test).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'Domain code (deciders, events, rules) imports no framework, no adapter and no I/O client.',
      severity: 'error',
      from: { path: '(^|/)domain/' },
      to: {
        path: [
          '@nestjs',
          'node_modules/(better-sqlite3|@eventstore|@kurrent|mongodb|fastify|class-validator|class-transformer|exceljs)',
          'src/shared/(event-store|read-store|infrastructure|http|projections)/',
          '^src/[^/]+/(api|application|projections)/',
        ],
      },
    },
    {
      name: 'contexts-meet-through-contracts',
      comment: 'A bounded context imports another only through its contracts/ folder.',
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: '^src/(shared|config|cli|system)/' },
      to: {
        path: '^src/([^/]+)/',
        pathNot: ['^src/$1/', '^src/[^/]+/contracts/', '^src/(shared|config)/', '^src/[^/]+\\.ts$'],
      },
    },
    {
      name: 'application-knows-no-http',
      comment: 'Below api/ code throws domain errors and takes plain values: HTTP types, the problem filter and Fastify stay in api/ and shared/http (issue 13).',
      severity: 'error',
      from: { path: '^src/[^/]+/(domain|application|projections)/', pathNot: '\\.spec\\.ts$' },
      to: { path: ['^src/shared/http/', 'node_modules/(fastify|@fastify)/', '^src/[^/]+/api/'] },
    },
    {
      name: 'kernel-knows-no-context',
      comment: 'The shared kernel serves every context and depends on none of them.',
      severity: 'error',
      from: { path: '^src/shared/', pathNot: '\\.spec\\.ts$|/testing/' },
      to: { path: '^src/', pathNot: ['^src/shared/', '^src/config/'] },
    },
    {
      name: 'client-code-in-one-file',
      comment: 'Each server client is used by exactly one adapter file, so a client swap touches one file.',
      severity: 'error',
      from: { pathNot: ['eventstoredb\\.event-store(\\.spec)?\\.ts$'] },
      to: { path: 'node_modules/(@eventstore|@kurrent)/' },
    },
    {
      name: 'mongodb-client-in-one-file',
      severity: 'error',
      from: { pathNot: ['mongodb\\.read-store(\\.spec)?\\.ts$'] },
      to: { path: 'node_modules/mongodb/' },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$|\\.contract\\.ts$|/testing/' },
      to: { path: ['^test/', '/testing/', '\\.contract\\.ts$', '@jest/globals'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
  },
};
