/**
 * Three projects (docs/testing.md): "unit" (in-process tests of the pure
 * modules: `npm run test:unit`), "integration" (the programs, run-job.sh and
 * the services, in parallel workers) and "serial" (*.serial.test.ts and the
 * SERIAL list: what changes what other suites use; one at a time, after the
 * parallel ones, with nothing beside them). A new test file is "integration"
 * unless named here or *.serial.test.ts.
 */
const UNIT = [
  'bench-scaledata',
  'eval',
  'eval-verdict',
  'input-shape',
  'lines',
  'mapper',
  'output',
  'pairs',
  'proximity-units',
  'ranges',
  'plan',
  'partition',
  'scores',
  'serve-fill',
  'serve-units',
  'serve-files',
  'store-data',
  'sum',
  'view-check',
  'views',
];
const unitFiles = UNIT.map((name) => `<rootDir>/test/${name}.test.ts`);
// Serial though not so named: it removes the plan renderings every run-job.sh run reads (.cache/plans).
const SERIAL = ['local-plan'];

/** @type {import('jest').Config} */
const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // Types are checked once by `npm run typecheck` (pretest); tests only strip them.
  transform: { '^.+\\.ts$': '<rootDir>/test/global/esbuild-transform.js' },
  // VP_TEST_CPU=FILE: each file's CPU seconds into FILE (docs/testing.md).
  setupFilesAfterEnv: ['<rootDir>/test/global/cpu-per-file.js'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 120000,
  // Much of the time is spent waiting on child processes (jobs, JVMs, servers): more workers than cores.
  maxWorkers: 3,
  // One TMPDIR per jest run, checked for the job's leftover work folders and removed at the end;
  // the servers suites share (test/helpers/once.ts) are stopped there.
  testSequencer: '<rootDir>/test/global/sequencer.js',
  globalSetup: '<rootDir>/test/global/setup.ts',
  globalTeardown: '<rootDir>/test/global/teardown.ts',
  projects: [
    { ...common, displayName: 'unit', testMatch: unitFiles },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.serial\\.test\\.ts$', ...[...UNIT, ...SERIAL].map((name) => `/test/${name}\\.test\\.ts$`)],
    },
    {
      ...common,
      displayName: 'serial',
      testMatch: ['<rootDir>/test/**/*.serial.test.ts', ...SERIAL.map((name) => `<rootDir>/test/${name}.test.ts`)],
      runner: '<rootDir>/test/global/serial-runner.js',
    },
  ],
};
