/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }] },
  testTimeout: 60000,
  // Socket-heavy suites share two cores; keep parallelism modest so bounded waits stay meaningful.
  maxWorkers: 2,
  // test.concurrent: the mutation self-tests run several in-process suite runs at once (mostly idle waits).
  maxConcurrency: 4,
};
