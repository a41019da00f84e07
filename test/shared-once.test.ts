/**
 * test/helpers/once.ts and the teardown (test/global/): what suites make once
 * per jest run is made by one suite and shared by the others, even in other
 * workers; its processes are stopped and its teardown commands run when the
 * run ends, and a failing teardown command fails the run. Driven through an
 * inner jest run on throw-away test files.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, tmpDir } from './helpers/exec';

jest.setTimeout(120_000);

const dir = tmpDir('vp-once-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A suite that asks for the shared sleeper and notes the pid it got in OUT/<name>. */
function suite(name: string, out: string, teardown: string): string {
  const once = JSON.stringify(path.join(ROOT, 'test', 'helpers', 'once.ts'));
  return (
    `const { spawn } = require('node:child_process'); const fs = require('node:fs'); const path = require('node:path');\n` +
    `const { sharedOnce } = require(${once});\n` +
    `const sleeper = sharedOnce('sleeper', async () => {\n` +
    `  fs.appendFileSync(path.join(${JSON.stringify(out)}, 'made'), '${name}\\n');\n` +
    `  const p = spawn('sleep', ['300'], { stdio: 'ignore' }); p.unref();\n` +
    `  await new Promise((r) => setTimeout(r, 1000));\n` +
    `  return { value: p.pid, pids: [p.pid], teardown: [${JSON.stringify(teardown)}] };\n` +
    `});\n` +
    `test('${name}', async () => { fs.writeFileSync(path.join(${JSON.stringify(out)}, '${name}'), String(await sleeper())); });\n`
  );
}

/** Runs jest (this repository's config) on three suites sharing the sleeper; returns what they saw. */
function innerJest(name: string, teardown: string): { code: number | null; stderr: string; pids: number[]; made: string[] } {
  const roots = path.join(dir, name);
  const out = path.join(roots, 'out');
  fs.mkdirSync(out, { recursive: true });
  for (const s of ['a', 'b', 'c']) fs.writeFileSync(path.join(roots, `${s}.inner.js`), suite(s, out, teardown));
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.JEST_WORKER_ID;
  delete env.VP_JEST_TMPDIR;
  const jestBin = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const args = [jestBin, '--selectProjects', 'integration', '--maxWorkers', '2', '--roots', roots, '--testMatch', '**/*.inner.js'];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8' });
  const pids = ['a', 'b', 'c'].map((s) => Number(fs.readFileSync(path.join(out, s), 'utf8')));
  return { code: r.status, stderr: r.stderr, pids, made: fs.readFileSync(path.join(out, 'made'), 'utf8').trim().split('\n') };
}

function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return false;
  }
}

test('three suites in two workers share one process, which the teardown stops; then its teardown command runs', () => {
  const marker = path.join(dir, 'torn-down');
  const r = innerJest('shared', `touch '${marker}'`);
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
  expect(r.made).toHaveLength(1);
  expect(new Set(r.pids).size).toBe(1);
  expect(r.pids[0]).toBeGreaterThan(0);
  expect(running(r.pids[0])).toBe(false);
  expect(fs.existsSync(marker)).toBe(true);
});

test('a failing teardown command fails the run, naming it', () => {
  const r = innerJest('failing', 'echo cannot stop it >&2; exit 3');
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain('sleeper: teardown `echo cannot stop it >&2; exit 3` failed (exit 3): cannot stop it');
  expect(running(r.pids[0])).toBe(false);
});
