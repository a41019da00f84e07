/**
 * evaluate.js --catalog on a hand-built store whose answers are worked out
 * below: the coverage of full lists and HR@K without and with the serve-time
 * filters and fallbacks; a bad catalog is a usage error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sh, tmpDir } from './helpers/exec';

jest.setTimeout(120_000);

const dir = tmpDir('vp-evaluate-fill-');
// Training paths p1..p4 (the earliest half), test paths p5..p8. Training lists by count:
// a: b 2, e 1; b: a; c: d; d: c; e: a. Co-views: a 3, b 2, c 1, d 1, e 1.
const views = path.join(dir, 'views.tsv');
fs.writeFileSync(
  views,
  [['p1', 'a'], ['p1', 'b'], ['p2', 'a'], ['p2', 'b'], ['p3', 'c'], ['p3', 'd'], ['p4', 'a'], ['p4', 'e'],
   ['p5', 'x'], ['p5', 'a'], ['p6', 'c'], ['p6', 'e'], ['p7', 'a'], ['p7', 'b'], ['p8', 'd'], ['p8', 'a']]
    .map(([p, v], i) => `${p}\t${v}\t${i + 1}\n`)
    .join(''),
);
// e unavailable; n a new product; x seen only in a test path.
const catalog = path.join(dir, 'catalog.tsv');
fs.writeFileSync(catalog, 'product_id\tcategory\tavailable\tname\na\tc1\t1\tA\nb\tc1\t1\tB\ne\tc1\t0\tE\nn\tc1\t1\tN\nc\tc2\t1\tC\nd\tc2\t1\tD\nx\tc2\t1\tX\n');

test('coverage of full lists and HR@K, related alone and with the fallbacks', () => {
  const r = sh(`node dist/evaluate.js --views '${views}' --catalog '${catalog}' --test-share 0.5 --k 2 --scores count --format tsv`);
  expect(r.code).toBe(0);
  const [, fill] = r.stdout.split('\n\n');
  // K = 2; no filtered list is full (a: [b], e left out). Filled: a [b, c], b [a, c], c [d, a], d [c, a],
  // e [a, b], n [a, b], x [c, d]: all 7 full. Events x->a, c->e, a->b, d->a: related hits a->b only,
  // filled also d->a; every query's own list is short, so all four events are cold.
  expect(fill).toBe(
    'score\tfull@2 related\tfull@2 filled\thr@2 related\thr@2 filled\tcold events\thr@2 cold related\thr@2 cold filled\n' +
      'count\t0.000000\t1.000000\t0.250000\t0.500000\t4\t0.250000\t0.500000\n',
  );
});

test('a bad catalog is a usage error (exit 2) before any job runs', () => {
  const bad = path.join(dir, 'bad.tsv');
  fs.writeFileSync(bad, 'product_id\tname\tavailable\na\tA\tmaybe\n');
  const r = sh(`node dist/evaluate.js --views '${views}' --catalog '${bad}' --scores count`);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`--catalog: ${bad}: line 2: available must be 1 or 0, got "maybe"`);
  expect(r.stderr).not.toMatch(/run-job/);
});
