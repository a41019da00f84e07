/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  testTimeout: 120000,
  // One TMPDIR per jest run, checked for the job's leftover work folders and removed at the end.
  globalSetup: '<rootDir>/test/global/tmp-setup.ts',
  globalTeardown: '<rootDir>/test/global/tmp-teardown.ts',
};
