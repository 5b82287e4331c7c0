/** Tests run through @swc/jest (transpile only); `tsc --noEmit` type-checks separately. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // The CLI tests spawn the bundled `platform`; build it once before any test runs.
  globalSetup: '<rootDir>/test/global-setup.js',
  testTimeout: 30000,
};
