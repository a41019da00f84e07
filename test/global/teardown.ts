/**
 * jest globalTeardown: once every suite is done (so parallel suites cannot
 * race it), stops what suites started once for the whole run (servers, the
 * test cluster; test/helpers/once.ts), then fails the run when a job left its
 * viewed-products.* work folder (or a viewed-products-logs.* folder) in the
 * shared TMPDIR, and removes it.
 */
import * as fs from 'node:fs';
import { stopShared } from './stop-shared';

export default async function teardown(): Promise<void> {
  const dir = process.env.VP_JEST_TMPDIR;
  if (dir === undefined || !fs.existsSync(dir)) return;
  const problems = await stopShared(dir);
  const left = fs.readdirSync(dir).filter((name) => name.startsWith('viewed-products'));
  fs.rmSync(dir, { recursive: true, force: true });
  if (left.length > 0) {
    problems.push(
      `tests left job folders in TMPDIR: ${left.sort().join(', ')}; a run a test kills or fails on purpose needs a TMPDIR or --work-dir that the test removes`,
    );
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
}
