// jest in ESM mode (NestJS 12 is ESM-only); run with NODE_OPTIONS=--experimental-vm-modules.
const transform = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
  // @fastify/static (CommonJS, serves Swagger UI) require()s the ESM-only content-disposition 3.
  // Node >= 20.19 allows that, jest's module VM only from Node 24.9: compile that one package to CommonJS.
  '/node_modules/content-disposition/.+\\.js$': ['babel-jest', { plugins: ['@babel/plugin-transform-modules-commonjs'], babelrc: false, configFile: false }],
};
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform,
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  testEnvironment: 'node',
};
export default {
  // jest's default on two cores (cores - 1 = one worker) runs every file in band, in one process whose
  // heap grows by tens of MB per e2e file (each file loads its own module graph); two workers overlap
  // one file's waits (fsync, child processes, the projection thread) with another's work, and a
  // worker whose heap passed 1 GB after a file is replaced. `--maxWorkers=1` still runs in band.
  maxWorkers: '100%',
  workerIdleMemoryLimit: '1GB',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/event-schemas/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], setupFiles: ['<rootDir>/test/setup-env.ts'], setupFilesAfterEnv: ['<rootDir>/test/setup-timeout.ts'] },
  ],
};
