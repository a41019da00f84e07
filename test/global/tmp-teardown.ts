/**
 * jest globalTeardown: once every suite is done (so parallel suites cannot
 * race it), fails the run when a job left its viewed-products.* work folder
 * (or a viewed-products-logs.* folder) in the shared TMPDIR, and removes it.
 */
import * as fs from 'node:fs';

export default function teardown(): void {
  const dir = process.env.VP_JEST_TMPDIR;
  if (dir === undefined || !fs.existsSync(dir)) return;
  const left = fs.readdirSync(dir).filter((name) => name.startsWith('viewed-products'));
  fs.rmSync(dir, { recursive: true, force: true });
  if (left.length > 0) {
    throw new Error(
      `tests left job folders in TMPDIR: ${left.sort().join(', ')}; a run a test kills or fails on purpose needs a TMPDIR or --work-dir that the test removes`,
    );
  }
}
