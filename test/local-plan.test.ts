/** The local runner renders its phases from job-plan.js local-phase and keeps the renderings until a build. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST, ROOT, sh, tmpDir } from './helpers/exec';

const dir = tmpDir('vp-plan-');
const views = path.join(dir, 'views.tsv');
// Settings no other test uses, so this test's renderings are its own.
const SETTINGS = '--reducers 7 --max-path-products 3';
const cached = (phase: number): string => {
  const key = `${DIST} ${SETTINGS}`.replace(/[^A-Za-z0-9._=-]/g, '_');
  return path.join(ROOT, '.cache', 'plans', `${key}.${phase}`);
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
  const broken = sh(`./run-job.sh --input '${views}' --output '${dir}/b' ${SETTINGS}`);
  expect(broken.code).toBe(20);
  // One older than dist/job-plan.js (a build since) is rendered again.
  const old = new Date(fs.statSync(path.join(DIST, 'job-plan.js')).mtimeMs - 60_000);
  fs.utimesSync(cached(1), old, old);
  const again = sh(`./run-job.sh --input '${views}' --output '${dir}/c' ${SETTINGS}`);
  expect(again.code).toBe(0);
  expect(fs.readFileSync(cached(1), 'utf8')).toBe(good);
  expect(fs.readFileSync(path.join(dir, 'c', 'viewed_products.tsv'), 'utf8')).toBe(
    fs.readFileSync(path.join(dir, 'a', 'viewed_products.tsv'), 'utf8'),
  );
});
