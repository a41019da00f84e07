/**
 * run-job.sh's up-front checks (lib/checks.sh): a bad path or a conflicting pair of
 * options is refused with exit 2 and one line, before anything is installed, built or run.
 * The runs use a copy of run-job.sh and lib/ without dist/, so the next step after the
 * checks is building it: a stand-in npm (and node, and aws) records any call and fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, sh, tmpDir } from './helpers/exec';

const top = tmpDir('vp-options-');
const copy = path.join(top, 'repo');
const bin = path.join(top, 'bin');
const calls = path.join(top, 'calls');
const d = path.join(top, 'data');
const views = path.join(d, 'views.tsv');
/** Runs as this user when the test runs as root, for whom every file is readable and writable. */
const NOBODY = 'setpriv --reuid=65534 --regid=65534 --clear-groups';

beforeAll(() => {
  fs.mkdirSync(path.join(copy, 'lib'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'run-job.sh'), path.join(copy, 'run-job.sh'));
  fs.chmodSync(path.join(copy, 'run-job.sh'), 0o755);
  for (const f of fs.readdirSync(path.join(ROOT, 'lib'))) fs.copyFileSync(path.join(ROOT, 'lib', f), path.join(copy, 'lib', f));
  fs.mkdirSync(bin);
  for (const name of ['npm', 'node', 'aws']) {
    fs.writeFileSync(path.join(bin, name), `#!/usr/bin/env bash\necho "${name} $*" >> '${calls}'\nexit 1\n`, { mode: 0o755 });
  }
  fs.mkdirSync(path.join(d, 'empty'), { recursive: true });
  fs.mkdirSync(path.join(d, 'outdir', 'viewed_products.tsv'), { recursive: true });
  fs.mkdirSync(path.join(d, 'hidden-only'));
  fs.writeFileSync(path.join(d, 'hidden-only', '_SUCCESS'), '');
  fs.writeFileSync(views, 'u1\ta\nu1\tb\n');
  fs.writeFileSync(path.join(d, 'file'), '');
  fs.writeFileSync(path.join(d, 'secret.tsv'), 'u1\ta\n', { mode: 0o000 });
  fs.mkdirSync(path.join(d, 'mixed'), { mode: 0o755 });
  fs.writeFileSync(path.join(d, 'mixed', 'a.tsv'), 'u1\ta\n');
  fs.writeFileSync(path.join(d, 'mixed', 'b.tsv'), 'u1\tb\n', { mode: 0o000 });
  fs.mkdirSync(path.join(d, 'readonly'), { mode: 0o555 });
  // The other user must reach the copy and the data.
  for (const p of [top, copy, path.join(copy, 'lib'), d]) fs.chmodSync(p, 0o755);
});

afterAll(() => {
  fs.chmodSync(path.join(d, 'readonly'), 0o755);
  fs.rmSync(top, { recursive: true, force: true });
});

/** Runs the copy's run-job.sh (ARGS: a shell word list) with the stand-ins first on PATH and a fresh TMPDIR. */
function run(args: string, prefix = ''): { code: number; stderr: string; calls: string; tmp: string[] } {
  fs.rmSync(calls, { force: true });
  const tmp = tmpDir('vp-options-tmp-');
  fs.chmodSync(tmp, 0o777);
  try {
    const r = sh(`${prefix} '${copy}/run-job.sh' ${args}`, { PATH: `${bin}:${process.env.PATH}`, TMPDIR: tmp });
    return { code: r.code, stderr: r.stderr, calls: fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8') : '', tmp: fs.readdirSync(tmp) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The run is refused with exit 2 and exactly MESSAGE on one line, having started nothing. */
function expectRefused(r: ReturnType<typeof run>, message: string): void {
  expect(r.stderr).toMatch(/^\S+ run-job: ERROR: .*\n$/);
  expect(r.stderr.replace(/^\S+ run-job: ERROR: /, '').trimEnd()).toBe(message);
  expect(r.code).toBe(2);
  expect(r.calls).toBe('');
  expect(r.tmp).toEqual([]);
  expect(fs.existsSync(path.join(copy, 'dist'))).toBe(false);
}

const out = path.join(d, 'out');

test.each([
  ['a missing --input', `--input '${d}/nope.tsv' --output '${out}'`, `input not found: ${d}/nope.tsv`],
  ['a folder without input files', `--input '${d}/empty' --output '${out}'`, `no input files in ${d}/empty`],
  ['a folder with only _ and . files', `--input '${d}/hidden-only' --output '${out}'`, `no input files in ${d}/hidden-only`],
  ['a device that is not stdin', `--input /dev/null --output '${out}'`, 'input is not a file, folder or pipe: /dev/null'],
  ['an s3:// input without --runner emr', `--input s3://bucket/views/ --output '${out}'`, 'an s3:// --input needs --runner emr: s3://bucket/views/'],
  ['--output naming a file', `--input '${views}' --output '${d}/file'`, `--output ${d}/file: exists and is not a directory`],
  ['--output under a file', `--input '${views}' --output '${d}/file/sub/'`, `--output ${d}/file/sub/: cannot be created, ${d}/file is not a directory`],
  ['--output whose viewed_products.tsv is a folder', `--input '${views}' --output '${d}/outdir'`, `--output ${d}/outdir: viewed_products.tsv in it is a directory`],
  ['--work-dir naming a file', `--input '${views}' --output '${out}' --work-dir '${d}/file'`, `--work-dir ${d}/file: exists and is not a directory`],
  ['--log in a missing folder', `--input '${views}' --output '${out}' --log '${d}/nope/run.log'`, `--log ${d}/nope/run.log: folder ${d}/nope does not exist`],
  ['--log naming a folder', `--input '${views}' --output '${out}' --log '${d}'`, `--log ${d}: is a directory`],
  ['--demo with --input', `--demo --input '${views}'`, '--demo generates its own views: give --demo or --input, not both'],
  ['--demo with --output naming a file', `--demo --output '${d}/file'`, `--output ${d}/file: exists and is not a directory`],
  ['--submit-only without --runner emr', `--submit-only --input '${views}' --output '${out}'`, '--submit-only needs --runner emr'],
  [
    '--runner emr --submit-only with --output',
    `--runner emr --s3 s3://bucket/jobs --submit-only --input '${views}' --output '${out}'`,
    '--submit-only leaves the result on S3 (its location is printed): give --submit-only or --output, not both',
  ],
])('refused up front, exit 2: %s', (_name, args, message) => {
  expectRefused(run(args), message);
  expect(fs.existsSync(out)).toBe(false);
});

test('a production run (a database) with a missing --input is refused before the lock is taken', () => {
  const cnf = path.join(top, 'db.cnf');
  fs.writeFileSync(cnf, '[client]\nuser=vp\n', { mode: 0o600 });
  const lock = path.join(top, 'db.lock');
  expectRefused(
    run(`--input '${d}/nope.tsv' --db-defaults-file '${cnf}' --database shop --lock-file '${lock}'`),
    `input not found: ${d}/nope.tsv`,
  );
  expect(fs.existsSync(lock)).toBe(false);
});

test('refused up front as a user without rights: an unreadable input, an output folder that cannot be created', () => {
  const as = process.getuid?.() === 0 ? NOBODY : '';
  expectRefused(run(`--input '${d}/secret.tsv' --output '${out}'`, as), `cannot read input: ${d}/secret.tsv`);
  expectRefused(run(`--input '${d}/mixed' --output '${out}'`, as), `cannot read input: ${d}/mixed/b.tsv`);
  expectRefused(
    run(`--input '${views}' --output '${d}/readonly/out'`, as),
    `--output ${d}/readonly/out: cannot be created, ${d}/readonly is not writable`,
  );
});

// The same harness sees a run that passes the checks reach the build: so the refusals above did stop before it.
test.each([
  ['a file, into a new nested folder', `--input '${views}' --output '${d}/new/nested'`],
  ['an existing output folder, a new --work-dir, a new log file', `--input '${views}' --output '${d}' --work-dir '${d}/new-work' --log '${d}/run.log'`],
  ['a pipe', `--input <(cat '${views}') --output '${out}'`],
  ['/dev/stdin', `--input /dev/stdin --output '${out}' < '${views}'`],
  ['--demo', '--demo'],
  ['an s3:// input with --runner emr --submit-only', '--runner emr --s3 s3://bucket/jobs --submit-only --input s3://bucket/views/'],
])('accepted, then building dist/ is next: %s', (_name, args) => {
  const log = path.join(d, 'run.log');
  fs.rmSync(log, { force: true });
  const r = run(args);
  expect(r.calls).toMatch(/^npm ci/);
  expect(r.code).toBe(1);
  // With --log the messages go to the log file.
  expect(fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : r.stderr).toMatch(/ERROR: npm ci failed/);
  expect(fs.existsSync(out)).toBe(false);
});
