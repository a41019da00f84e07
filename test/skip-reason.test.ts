/**
 * A suite that needs a missing tool says why it skipped, even when every one of
 * its tests skips (jest then drops the suite's console output), and fails
 * instead under CI=true. Absence is simulated with VP_TEST_HIDE_MARIADB=1,
 * which only the inner jest run below sees.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from './helpers/exec';

jest.setTimeout(120_000);

/** Runs jest on test/db-job.test.ts next to another suite, as `npm test` would, with MariaDB hidden. */
function innerJest(ci: boolean): { code: number | null; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, VP_TEST_HIDE_MARIADB: '1' };
  delete env.CI;
  delete env.JEST_WORKER_ID;
  if (ci) env.CI = 'true';
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), 'test/db-job.test.ts', 'test/views.test.ts'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  return { code: r.status, stderr: r.stderr };
}

test('without MariaDB the database suite skips and prints why', () => {
  const r = innerJest(false);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('SKIPPED db-job.test.ts (production job against MariaDB): hidden by VP_TEST_HIDE_MARIADB=1');
  expect(r.stderr).toMatch(/Test Suites: 1 skipped, 1 passed/);
});

test('without MariaDB under CI=true the database suite fails, naming the reason', () => {
  const r = innerJest(true);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain('CI=true, so db-job.test.ts (production job against MariaDB) must run, but: hidden by VP_TEST_HIDE_MARIADB=1');
  expect(r.stderr).not.toContain('SKIPPED db-job.test.ts');
});
