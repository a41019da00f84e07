/** The local runner renders its phases from job-plan.js local-phase and keeps the renderings for that build. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST, ROOT, sh, tmpDir } from './helpers/exec';

const dir = tmpDir('vp-plan-');
const views = path.join(dir, 'views.tsv');
// Settings no other test uses, so this test's renderings are its own.
const SETTINGS = '--reducers 7 --max-path-products 3';
// Renderings live under the checksum of dist/job-plan.js (what a build changes).
const sum = execFileSync('cksum', [path.join(DIST, 'job-plan.js')], { encoding: 'utf8' }).split(' ')[0];
const plans = path.join(ROOT, '.cache', 'plans');
const cached = (phase: number): string => {
  // The key: cksum of the build's folder and the settings' words, each NUL-terminated.
  const words = [DIST, ...SETTINGS.split(' ')].map((w) => `${w}\0`).join('');
  const key = execFileSync('cksum', { input: words, encoding: 'utf8' }).split(' ')[0];
  return path.join(plans, sum, `${key}.${phase}`);
};

beforeAll(() => {
  fs.writeFileSync(views, 'p1\ta\np1\tb\np2\ta\np2\tb\np2\tc\n');
  for (const p of [1, 2]) fs.rmSync(cached(p), { force: true });
});

afterAll(() => {
  for (const p of [1, 2]) fs.rmSync(cached(p), { force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a run keeps what local-phase rendered; the next run uses it', () => {
  const first = sh(`./run-job.sh --input '${views}' --output '${dir}/a' ${SETTINGS}`);
  expect(first.code).toBe(0);
  expect(fs.readFileSync(cached(1), 'utf8')).toContain(`reducer\tnode\t${DIST}/pairs-reducer.js\t--max-path-products=3\n`);
  expect(fs.readFileSync(cached(2), 'utf8')).toContain('key-fields\t2\n');
  // A kept rendering is what runs: one naming a missing reducer fails phase 1.
  const good = fs.readFileSync(cached(1), 'utf8');
  fs.writeFileSync(cached(1), good.replace('pairs-reducer.js', 'missing-reducer.js'));
  // A TMPDIR of its own: a failed run's logs stay.
  const broken = sh(`./run-job.sh --input '${views}' --output '${dir}/b' ${SETTINGS}`, { TMPDIR: tmpDir('vp-failing-') });
  expect(broken.code).toBe(20);
  // Renderings of another build are not used, and go when this build's are kept.
  fs.rmSync(path.join(plans, sum), { recursive: true, force: true });
  fs.mkdirSync(path.join(plans, 'other-build'), { recursive: true });
  fs.writeFileSync(path.join(plans, 'other-build', path.basename(cached(1))), good.replace('pairs-reducer.js', 'missing-reducer.js'));
  const again = sh(`./run-job.sh --input '${views}' --output '${dir}/c' ${SETTINGS}`);
  expect(again.code).toBe(0);
  expect(fs.readFileSync(cached(1), 'utf8')).toBe(good);
  expect(fs.existsSync(path.join(plans, 'other-build'))).toBe(false);
  expect(fs.readFileSync(path.join(dir, 'c', 'viewed_products.tsv'), 'utf8')).toBe(
    fs.readFileSync(path.join(dir, 'a', 'viewed_products.tsv'), 'utf8'),
  );
});
