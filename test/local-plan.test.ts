/** run-job.sh renders the plan with job-plan.js plan and keeps the rendering for that build: a small job starts no Node for it. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jobSpec, PhaseSpec } from '../src/job/phases';
import { planRows, renderPlan } from '../src/job/plan';
import { DIST, ROOT, sh, tmpDir } from './helpers/exec';

const dir = tmpDir('vp-plan-');
const views = path.join(dir, 'views.tsv');
// Settings no other test uses, so this test's renderings are its own.
const SETTINGS = '--reducers 7 --max-path-products 3';
// Renderings live under the checksum of dist/job-plan.js (what a build changes).
const sum = execFileSync('cksum', [path.join(DIST, 'job-plan.js')], { encoding: 'utf8' }).split(' ')[0];
const plans = path.join(ROOT, '.cache', 'plans');
// The key: cksum of the build's folder, the runner and the settings' words, each NUL-terminated.
const words = [DIST, ...SETTINGS.split(' ')].map((w) => `${w}\0`).join('');
const cached = path.join(plans, sum, execFileSync('cksum', { input: words, encoding: 'utf8' }).split(' ')[0]);
// The extra-phase test's settings and its plan's place in the cache.
const EXTRA = '--reducers 5 --max-path-products 4';
const extraWords = [DIST, ...EXTRA.split(' ')].map((w) => `${w}\0`).join('');
const extraCached = path.join(plans, sum, execFileSync('cksum', { input: extraWords, encoding: 'utf8' }).split(' ')[0]);

beforeAll(() => {
  fs.writeFileSync(views, 'p1\ta\np1\tb\np2\ta\np2\tb\np2\tc\n');
  fs.rmSync(cached, { force: true });
});

afterAll(() => {
  fs.rmSync(cached, { force: true });
  fs.rmSync(extraCached, { force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a run keeps what plan rendered; the next run uses it', () => {
  const first = sh(`./run-job.sh --input '${views}' --output '${dir}/a' ${SETTINGS}`);
  expect(first.code).toBe(0);
  expect(fs.readFileSync(cached, 'utf8')).toContain(`reducer\tnode\t${DIST}/pairs-reducer.js\t--max-path-products=3\n`);
  expect(fs.readFileSync(cached, 'utf8')).toContain('key-fields\t2\n');
  // A kept rendering is what runs: one naming a missing reducer fails phase 1.
  const good = fs.readFileSync(cached, 'utf8');
  fs.writeFileSync(cached, good.replace('pairs-reducer.js', 'missing-reducer.js'));
  // A TMPDIR of its own: a failed run's logs stay.
  const broken = sh(`./run-job.sh --input '${views}' --output '${dir}/b' ${SETTINGS}`, { TMPDIR: tmpDir('vp-failing-') });
  expect(broken.code).toBe(20);
  // Renderings of another build are not used, and go when this build's are kept.
  fs.rmSync(path.join(plans, sum), { recursive: true, force: true });
  fs.mkdirSync(path.join(plans, 'other-build'), { recursive: true });
  fs.writeFileSync(path.join(plans, 'other-build', path.basename(cached)), good.replace('pairs-reducer.js', 'missing-reducer.js'));
  const again = sh(`./run-job.sh --input '${views}' --output '${dir}/c' ${SETTINGS}`);
  expect(again.code).toBe(0);
  expect(fs.readFileSync(cached, 'utf8')).toBe(good);
  expect(fs.existsSync(path.join(plans, 'other-build'))).toBe(false);
  expect(fs.readFileSync(path.join(dir, 'c', 'viewed_products.tsv'), 'utf8')).toBe(
    fs.readFileSync(path.join(dir, 'a', 'viewed_products.tsv'), 'utf8'),
  );
});

test('a bad job option is a usage error (exit 2, one line and the --help line) before any phase, and nothing of it is kept', () => {
  const tmp = tmpDir('vp-plan-tmp-');
  const r = sh(`./run-job.sh --input '${views}' --output '${dir}/bad' --reducers 7 --top 12x`, { TMPDIR: tmp });
  expect(r.code).toBe(2);
  expect(r.stderr).toBe('run-job: --top must be a whole number below 10^9 (0 = all)\nrun-job: see ./run-job.sh --help\n');
  expect(fs.existsSync(path.join(dir, 'bad'))).toBe(false);
  expect(fs.readdirSync(tmp)).toEqual([]);
  fs.rmSync(tmp, { recursive: true, force: true });
  // The words job-plan.js got (run-job.sh's JOB_ARGS): no rendering of them is kept.
  const badWords = [DIST, '--reducers', '7', '--top', '12x'].map((w) => `${w}\0`).join('');
  expect(fs.readdirSync(path.join(plans, sum))).not.toContain(execFileSync('cksum', { input: badWords, encoding: 'utf8' }).split(' ')[0]);
});

test('a plan with an extra phase runs through the local runner as it is: the runner names no phase', () => {
  const job = jobSpec({ reducers: 5, maxPathProducts: 4 });
  const [phase1, phase2] = job.phases;
  // A phase of the views gathered into one part, which phase 2's tasks get as a side file.
  const copy: PhaseSpec = {
    ...phase1,
    id: 'copy',
    output: 'copied',
    reducer: { bundle: 'identity-reducer.js', args: [] },
    reducerMemoryOption: undefined,
    fixedReducers: 1,
    spaceFactor: 1,
  };
  const reader: PhaseSpec = { ...phase2, sideFiles: [{ name: 'views-copy.tsv', from: 'copy', part: 'part-00000' }] };
  const plan = renderPlan(planRows({ ...job, phases: [phase1, copy, reader] }, (b) => path.join(DIST, b)));
  fs.rmSync(extraCached, { force: true });
  const plain = sh(`./run-job.sh --input '${views}' --output '${dir}/plain' ${EXTRA}`);
  expect(plain.code).toBe(0);
  fs.writeFileSync(extraCached, plan);
  const work = path.join(dir, 'extra-work');
  const r = sh(`./run-job.sh --input '${views}' --output '${dir}/extra' --work-dir '${work}' ${EXTRA}`);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/phase copy: sort \+ reduce \(identity-reducer\.js x 1\)/);
  expect(r.stderr).toMatch(/time\s+phase 1 [\d.]+ s, phase copy [\d.]+ s, phase 2 [\d.]+ s/);
  expect(fs.readFileSync(path.join(work, 'copied', 'part-00000'), 'utf8').split('\n').filter(Boolean).sort()).toEqual(
    fs.readFileSync(views, 'utf8').split('\n').filter(Boolean).sort(),
  );
  expect(fs.readlinkSync(path.join(work, 'phase2', 'task', 'views-copy.tsv'))).toBe(path.join(work, 'copied', 'part-00000'));
  expect(fs.readFileSync(path.join(dir, 'extra', 'viewed_products.tsv'))).toEqual(fs.readFileSync(path.join(dir, 'plain', 'viewed_products.tsv')));
});
