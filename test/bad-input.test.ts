/**
 * Input that is not views, through ./run-job.sh as a user runs it: exit 60 with
 * one error saying what the lines look like, and nothing written; warnings name
 * FILE:LINE and quote the line as read.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATA, DIST, ROOT, sh, tmpDir } from './helpers/exec';

const dir = tmpDir('vp-bad-input-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  return file;
}

function runJob(input: string, out: string) {
  return sh(`./run-job.sh --input '${input}' --output '${out}'`);
}

/** The one error line of run-job.sh. */
function errorLine(stderr: string): string {
  const errors = stderr.split('\n').filter((l) => l.includes('ERROR'));
  expect(errors).toHaveLength(1);
  return errors[0].replace(/^\S+ run-job: ERROR: /, '');
}

test('the Diginetica .csv (;-separated) fails with exit 60, says what it looks like, and writes nothing', () => {
  const csv = path.join(DATA, 'diginetica-sample-train-item-views.csv');
  const out = path.join(dir, 'dg-out');
  const r = runJob(csv, out);
  expect(r.code).toBe(60);
  expect(r.stdout).toBe('');
  expect(errorLine(r.stderr)).toBe(
    `no valid views in ${csv} (12392 of 12392 lines skipped: wrong field count 12392); its lines hold no TAB and look ` +
      `';'-separated, 5 fields (first line: "session_id;user_id;item_id;timeframe;eventdate"): export with mysql --batch ` +
      `(path_id<TAB>product_id) or convert, e.g. awk -F';' -v OFS='\\t' 'NR > 1 {print $1, $3}'`,
  );
  expect(fs.existsSync(out)).toBe(false);
  // The warnings name the file and its line, and quote the line as read (the header is line 1).
  expect(r.stderr).toContain(`identity-mapper: ${csv}:1: bad view (no TAB): "session_id;user_id;item_id;timeframe;eventdate"`);
  expect(r.stderr).toContain(`identity-mapper: ${csv}:2: bad view (no TAB): "1;NA;81766;526309;2016-05-09"`);
});

test('the suggested conversion gives views the job takes', () => {
  const csv = path.join(DATA, 'diginetica-sample-train-item-views.csv');
  const views = path.join(dir, 'dg.tsv');
  expect(sh(`awk -F';' -v OFS='\\t' 'NR > 1 {print $1, $3}' '${csv}' > '${views}'`).code).toBe(0);
  const r = runJob(views, path.join(dir, 'dg-converted'));
  expect(r.code).toBe(0);
  expect(fs.statSync(path.join(dir, 'dg-converted', 'viewed_products.tsv')).size).toBeGreaterThan(0);
});

test('a comma CSV fails with exit 60; in a folder, its first file is described', () => {
  const lines = ['path_id,product_id', ...Array.from({ length: 30 }, (_, i) => `s${i % 4},p${i}`)];
  const csv = write('views.csv', lines);
  const r = runJob(csv, path.join(dir, 'csv-out'));
  expect(r.code).toBe(60);
  expect(errorLine(r.stderr)).toBe(
    `no valid views in ${csv} (31 of 31 lines skipped: wrong field count 31); its lines hold no TAB and look ','-separated, ` +
      `2 fields (first line: "path_id,product_id"): export with mysql --batch (path_id<TAB>product_id) or convert, ` +
      `e.g. awk -F',' -v OFS='\\t' 'NR > 1 {print $1, $2}'`,
  );
  expect(fs.existsSync(path.join(dir, 'csv-out'))).toBe(false);

  const folder = path.join(dir, 'csv-folder');
  fs.mkdirSync(folder);
  fs.copyFileSync(csv, path.join(folder, 'a.csv'));
  fs.copyFileSync(csv, path.join(folder, 'b.csv'));
  const f = runJob(folder, path.join(dir, 'folder-out'));
  expect(f.code).toBe(60);
  expect(errorLine(f.stderr)).toMatch(/^no valid views in .*csv-folder \(62 of 62 lines skipped: wrong field count 62\); the lines of its first file, a\.csv, hold no TAB and look ','-separated/);
  expect(f.stderr).toContain(`${path.join(folder, 'b.csv')}:1: bad view (no TAB)`);
});

test('95% bad lines fail with exit 60; the header is not counted as a bad line', () => {
  const lines = ['path_id\tproduct_id', ...Array.from({ length: 95 }, (_, i) => `s${i}\tNULL`), 's1\ta', 's1\tb', 's2\ta', 's2\tb', 's3\tc'];
  const file = write('mostly-bad.tsv', lines);
  const r = runJob(file, path.join(dir, 'mostly-bad-out'));
  expect(r.code).toBe(60);
  expect(errorLine(r.stderr)).toBe(
    `95 of 100 lines of ${file} skipped (NULL id 95): 90% or more, so the input is not views; its lines hold two ` +
      `TAB-separated fields (first line: "path_id\\tproduct_id"): see the warnings above for why they were skipped`,
  );
  expect(r.stderr).toMatch(/valid views\s+5 \(header lines 1,/);
  expect(fs.existsSync(path.join(dir, 'mostly-bad-out'))).toBe(false);
});

test('50% bad lines succeed, with at most five warnings naming FILE:LINE and quoting the line as read', () => {
  const good = Array.from({ length: 10 }, (_, i) => `s${i % 3}\tp${i}`);
  const bad = ['1000;NA;135861;119046;2016-04-19', '\tx', 'a\tb\tc', 'NULL\tp1', 's1\t\r', 'no-tab', 'more;lines', 'x;y', 'z;w', 'v;u'];
  const lines = ['path_id\tproduct_id'];
  for (let i = 0; i < 10; i++) lines.push(good[i], bad[i]);
  const file = write('half-bad.tsv', lines);
  const out = path.join(dir, 'half-out');
  const r = runJob(file, out);
  expect(r.code).toBe(0);
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('identity-mapper:'));
  expect(warnings).toEqual([
    `identity-mapper: ${file}:3: bad view (no TAB): "1000;NA;135861;119046;2016-04-19"`,
    `identity-mapper: ${file}:5: bad view (empty field): "\\tx"`,
    `identity-mapper: ${file}:7: bad view (more than one TAB): "a\\tb\\tc"`,
    `identity-mapper: ${file}:9: bad view (NULL id): "NULL\\tp1"`,
    `identity-mapper: ${file}:11: bad view (empty field): "s1\\t\\r" (further bad lines are only counted)`,
  ]);
  expect(r.stderr).toMatch(/valid views\s+10 \(header lines 1, repeated views 0\)/);
  expect(r.stderr).toMatch(/skipped lines\s+10: wrong field count 7, empty field 2, NULL id 1, too long 0/);
  expect(fs.statSync(path.join(out, 'viewed_products.tsv')).size).toBeGreaterThan(0);
});

test('the hadoop runner gets the same phase-1 mapper (job-plan hadoop-args) as the local runner (job-plan plan)', () => {
  const r = spawnSync(process.execPath, [path.join(DIST, 'job-plan.js'), 'hadoop-args', '--phase', '1', '--input', '/in', '--base', '/w', '--files-dir', 'dist'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(r.status).toBe(0);
  const args = r.stdout.split('\0');
  expect(args[args.indexOf('-mapper') + 1]).toBe('node identity-mapper.js --views');
  const local = spawnSync(process.execPath, [path.join(DIST, 'job-plan.js'), 'plan', '--files-dir', '/d'], { encoding: 'utf8' });
  const phase1 = local.stdout.split(/^phase\t/m)[1].split('\n');
  expect(phase1[0]).toBe('1');
  expect(phase1).toContain('mapper\tnode\t/d/identity-mapper.js\t--views');
});
