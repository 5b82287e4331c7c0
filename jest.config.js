/** Tests run through @swc/jest (transpile only); `tsc --noEmit` type-checks separately. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // Modules @pulumi/pulumi loads eagerly but only its closure serializer uses load on first use
  // (test/helpers/lazy-module.js): ~0.4 s less for each test file that imports Pulumi.
  moduleNameMapper: {
    '^typescript$': '<rootDir>/test/helpers/lazy/typescript.js',
    '^@npmcli/arborist$': '<rootDir>/test/helpers/lazy/arborist.js',
    '^normalize-package-data$': '<rootDir>/test/helpers/lazy/normalize-package-data.js',
    // The construct library workspace, from its sources: tests never run a stale constructs/lib.
    '^@eks-platform-blueprint/constructs$': '<rootDir>/constructs/src/index.ts',
  },
  // A fixed date for version judgements (PLATFORM_AS_OF), inherited by the CLIs tests spawn.
  setupFiles: ['<rootDir>/test/helpers/as-of.js'],
  // The CLI tests spawn the bundled `platform`; build it once before any test runs.
  globalSetup: '<rootDir>/test/global-setup.js',
  testTimeout: 30000,
  // Jest's default is one worker per core minus one for the main thread, which idles: on the two
  // cores CI has, one worker ran every file in turn. One worker per core uses them all (every test
  // writes only to its own temporary directory).
  maxWorkers: '100%',
};
