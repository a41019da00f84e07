/**
 * The real data sets in ../shared/data give exactly the facts in its README,
 * through the plain pipe and through run-job.sh with 1 and 3 reducers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { counters, dataViews, facts, sh, tmpDir } from './helpers/exec';

const FACTS = {
  movielens: { rows: 1966412, sum: 20100812, maxPathProducts: 737, views: 100000 },
  // The README's 12,390 is a count of newlines; the file holds 12,391 views (its last line has no newline).
  diginetica: { rows: 59750, sum: 61252, maxPathProducts: 52, views: 12391 },
} as const;

const dir = tmpDir('vp-real-');

describe.each(Object.keys(FACTS) as Array<keyof typeof FACTS>)('%s', (name) => {
  const expected = FACTS[name];
  const views = dataViews(name, dir);

  test('the plain pipe gives the README facts', () => {
    const out = path.join(dir, `${name}.pipe.tsv`);
    const r = sh(
      `cat '${views}' | dist/identity-mapper.js | LC_ALL=C sort | dist/pairs-reducer.js | dist/identity-mapper.js | LC_ALL=C sort | dist/sum-reducer.js > '${out}'`,
    );
    expect(r.code).toBe(0);
    expect(facts(out)).toEqual({ rows: expected.rows, sum: expected.sum });
    expect(counters(r.stderr)).toMatchObject({ views_in: expected.views, pairs: expected.sum, result_rows_out: expected.rows });
  });

  test('run-job.sh with 1 and 3 reducers: the same facts, byte-identical files', () => {
    const files: Buffer[] = [];
    for (const n of [1, 3]) {
      const out = path.join(dir, `${name}.job${n}`);
      const r = sh(`./run-job.sh --input '${views}' --output '${out}' --reducers ${n}`);
      expect(r.code).toBe(0);
      const file = path.join(out, 'viewed_products.tsv');
      expect(facts(file)).toEqual({ rows: expected.rows, sum: expected.sum });
      expect(r.stderr).toMatch(new RegExp(`output rows\\s+${expected.rows}`));
      expect(r.stderr).toMatch(new RegExp(`pairs\\s+${expected.sum}`));
      files.push(fs.readFileSync(file));
    }
    expect(files[0].equals(files[1])).toBe(true);
    // The plain pipe's rows, sorted, are the same file.
    const pipe = sh(`LC_ALL=C sort '${path.join(dir, `${name}.pipe.tsv`)}'`);
    expect(Buffer.from(pipe.stdout, 'latin1').equals(files[0])).toBe(true);
  });

  test(`the largest path has ${expected.maxPathProducts} products: a cap one below skips exactly it`, () => {
    const at = sh(`LC_ALL=C sort '${views}' | dist/pairs-reducer.js --max-path-products=${expected.maxPathProducts} > /dev/null`);
    expect(counters(at.stderr).capped_paths).toBe(0);
    const below = sh(`LC_ALL=C sort '${views}' | dist/pairs-reducer.js --max-path-products=${expected.maxPathProducts - 1} > /dev/null`);
    expect(counters(below.stderr).capped_paths).toBe(1);
  });
});
