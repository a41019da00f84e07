/**
 * jest globalSetup: every run of the job the tests start gets a TMPDIR of
 * this jest run (children inherit it), so their temporary work folders, and
 * the tests' own temporary folders, land where teardown.ts checks and
 * removes them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export default function setup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-jest-'));
  // Traversable like /tmp, so tests that run the job as another user (test/options.test.ts) reach their folders.
  fs.chmodSync(dir, 0o755);
  process.env.VP_JEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
  // The pinned Hadoop's JVM with a quick JIT and one GC thread: most test jobs are short, on small
  // inputs, where C2 and parallel GC cost twice the CPU (tools/hadoop/hadoop-streaming).
  process.env.VP_HADOOP_JVM_OPTS ??= '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';
}
