/**
 * jest's globalSetup/globalTeardown (test/global/): the suites and the jobs
 * they start share one TMPDIR per jest run; a job's work folder left in it
 * fails the run, and it is removed either way. Driven through an inner jest
 * run on throw-away test files.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, tmpDir } from './helpers/exec';

jest.setTimeout(120_000);

const dir = tmpDir('vp-tmpdir-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs jest (this repository's config) on one test file whose body is `body`; TMPDIR_SEEN gets its os.tmpdir(). */
function innerJest(name: string, body: string): { code: number | null; stderr: string; seen: string } {
  const roots = path.join(dir, name);
  fs.mkdirSync(roots);
  const seen = path.join(roots, 'tmpdir-seen');
  fs.writeFileSync(
    path.join(roots, 'case.inner.js'),
    `const fs = require('node:fs'), os = require('node:os'), path = require('node:path');\n` +
      `test('${name}', () => { fs.writeFileSync(${JSON.stringify(seen)}, os.tmpdir()); ${body} });\n`,
  );
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.JEST_WORKER_ID;
  delete env.VP_JEST_TMPDIR;
  const jestBin = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const r = spawnSync(process.execPath, [jestBin, '--selectProjects', 'integration', '--roots', roots, '--testMatch', '**/*.inner.js'], { cwd: ROOT, env, encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr, seen: fs.readFileSync(seen, 'utf8') };
}

test('this suite runs in the jest run\'s own TMPDIR', () => {
  expect(path.basename(os.tmpdir())).toMatch(/^vp-jest-/);
  expect(process.env.VP_JEST_TMPDIR).toBe(os.tmpdir());
});

test('a job work folder left in TMPDIR fails the jest run, and the folder is removed', () => {
  const r = innerJest('leaks', `fs.mkdirSync(path.join(os.tmpdir(), 'viewed-products.abc123'));`);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain('tests left job folders in TMPDIR: viewed-products.abc123;');
  expect(path.basename(r.seen)).toMatch(/^vp-jest-/);
  expect(fs.existsSync(r.seen)).toBe(false);
});

test('other leftovers pass and are removed with the TMPDIR', () => {
  const r = innerJest('clean', `fs.mkdirSync(path.join(os.tmpdir(), 'vp-some-test-dir'));`);
  expect(r.code).toBe(0);
  expect(fs.existsSync(r.seen)).toBe(false);
});
