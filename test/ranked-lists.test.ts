/**
 * Ranked lists on the real data, through run-job.sh (local runner, 3
 * reducers): every score with --top (ties at the cut included) and
 * --min-count against an independent reference, one DuckDB SQL query per
 * case; the defaults stay byte-identical to the unranked job; bad values exit
 * 2 with one line and write nothing.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataViews, sh, tmpDir } from './helpers/exec';

jest.setTimeout(300_000);

const dir = tmpDir('vp-ranked-');

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The lists as SQL: supports and N from the kept paths (at most 1000 products), scores as docs/scores.md defines them. */
function referenceSql(views: string, score: string, top: number, minCount: number): string {
  const scoreSql: Record<string, string> = {
    count: 'c',
    cosine: 'c / sqrt(na * nb)',
    jaccard: 'c / (na + nb - c)',
    llr: 'llr(c, na - c, nb - c, total - na - nb + c)',
  };
  return `
  CREATE OR REPLACE MACRO xlx(x) AS CASE WHEN x = 0 THEN 0.0 ELSE x * ln(x) END;
  CREATE OR REPLACE MACRO h2(a, b) AS xlx(a + b) - xlx(a) - xlx(b);
  CREATE OR REPLACE MACRO llr(k11, k12, k21, k22) AS CASE
    WHEN h2(k11, k12) + h2(k21, k22) + h2(k11, k21) + h2(k12, k22) > xlx(k11 + k12 + k21 + k22) - xlx(k11) - xlx(k12) - xlx(k21) - xlx(k22) THEN 0.0
    ELSE 2 * (xlx(k11 + k12 + k21 + k22) - xlx(k11) - xlx(k12) - xlx(k21) - xlx(k22) - (h2(k11, k12) + h2(k21, k22)) - (h2(k11, k21) + h2(k12, k22))) END;
  WITH views AS (
    SELECT DISTINCT p, a FROM read_csv(${quote(views)}, delim = '\t', header = false, quote = '', escape = '',
      auto_detect = false, columns = {'p': 'VARCHAR', 'a': 'VARCHAR'})
  ),
  kept AS (SELECT p FROM views GROUP BY p HAVING count(*) <= 1000),
  v AS (SELECT p, a FROM views SEMI JOIN kept USING (p)),
  n AS (SELECT a, count(*)::DOUBLE AS n FROM v GROUP BY a),
  pairs AS (SELECT x.a AS s, y.a AS t, count(*)::DOUBLE AS c FROM v x JOIN v y ON x.p = y.p AND x.a <> y.a GROUP BY 1, 2),
  scored AS (
    SELECT s, t, c, ${scoreSql[score]} AS score
    FROM pairs JOIN n na_(s, na) USING (s) JOIN n nb_(t, nb) USING (t), (SELECT count(*)::DOUBLE AS total FROM kept)
    WHERE c >= ${minCount}
  ),
  ranked AS (SELECT *, row_number() OVER (PARTITION BY s ORDER BY score DESC, c DESC, t) AS r FROM scored)
  SELECT s, t, c::BIGINT AS c, score FROM ranked ${top > 0 ? `WHERE r <= ${top}` : ''} ORDER BY s, t`;
}

async function reference(views: string, score: string, top: number, minCount: number): Promise<Array<[string, string, number, number]>> {
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  const statements = referenceSql(views, score, top, minCount).split(';');
  for (const st of statements.slice(0, -1)) await con.run(st);
  const reader = await con.runAndReadAll(statements[statements.length - 1]);
  const rows = reader.getRowsJS().map((row) => [String(row[0]), String(row[1]), Number(row[2]), Number(row[3])] as [string, string, number, number]);
  con.closeSync();
  return rows;
}

function runJob(views: string, out: string, args: string): { code: number; stderr: string; rows: string[][] } {
  const r = sh(`./run-job.sh --input '${views}' --output '${out}' --reducers 3 ${args}`);
  const file = path.join(out, 'viewed_products.tsv');
  const rows = r.code === 0 ? fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => l.split('\t')) : [];
  return { code: r.code, stderr: r.stderr, rows };
}

const CASES = {
  movielens: [
    ['count', 7, 1],
    ['cosine', 10, 1],
    ['jaccard', 5, 3],
    ['llr', 20, 1],
    ['llr', 0, 40],
  ],
  diginetica: [
    ['count', 3, 1],
    ['cosine', 2, 1],
    ['jaccard', 0, 2],
    ['llr', 4, 1],
  ],
} as const;

describe.each(Object.keys(CASES) as Array<keyof typeof CASES>)('%s', (name) => {
  const views = dataViews(name, dir);

  test.each(CASES[name].map((c) => [...c]))('--score %s --top %d --min-count %d = the DuckDB reference', async (score, top, minCount) => {
    const out = path.join(dir, `${name}-${score}-${top}-${minCount}`);
    const job = runJob(views, out, `--score ${score} --top ${top} --min-count ${minCount}`);
    expect(job.code).toBe(0);
    const want = await reference(views, score, top, minCount);
    // Sort both by (source, target) bytes: the file's order is by whole line.
    const key = (s: string, t: string): string => `${s}\t${t}`;
    const got = new Map(job.rows.map((f) => [key(f[0], f[1]), f]));
    expect(got.size).toBe(job.rows.length);
    expect([...got.keys()].sort()).toEqual(want.map(([s, t]) => key(s, t)).sort());
    for (const [s, t, c, sc] of want) {
      const f = got.get(key(s, t))!;
      expect(Number(f[2])).toBe(c);
      if (score === 'count') expect(f).toHaveLength(3);
      else expect(Math.abs(Number(f[3]) - sc)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(sc)));
    }
    if (top > 0) expect(job.stderr).toMatch(new RegExp(`output rows\\s+${want.length} \\(of \\d+ pairs`));
  });
});

test('MovieLens: the defaults give the unranked file (md5 of the reference table), --top 0 --min-count 1 --score count too', () => {
  const views = dataViews('movielens', dir);
  for (const args of ['', '--score count --top 0 --min-count 1']) {
    const out = path.join(dir, `ml-default-${args.length}`);
    expect(sh(`./run-job.sh --input '${views}' --output '${out}' ${args}`).code).toBe(0);
    const md5 = createHash('md5').update(fs.readFileSync(path.join(out, 'viewed_products.tsv'))).digest('hex');
    expect(md5).toBe('72470745d9a6c488c626c5998906c65c');
  }
});

test('MovieLens --score llr --top 20: byte-identical with 1 and 3 reducers, --no-combine and --max-path-products too', () => {
  const views = dataViews('movielens', dir);
  const files = ['--reducers 1', '--reducers 3', '--reducers 2 --no-combine'].map((args, i) => {
    const out = path.join(dir, `ml-llr-${i}`);
    expect(sh(`./run-job.sh --input '${views}' --output '${out}' --score llr --top 20 --max-path-products 500 ${args}`).code).toBe(0);
    return fs.readFileSync(path.join(out, 'viewed_products.tsv'));
  });
  expect(files[1].equals(files[0])).toBe(true);
  expect(files[2].equals(files[0])).toBe(true);
});

test.each([
  ['--top -1', '--top must be a whole number'],
  ['--top x', '--top must be a whole number'],
  ['--min-count 0', '--min-count must be a positive whole number'],
  ['--score foo', '--score must be count, cosine, jaccard, llr or proximity'],
])('%s exits 2 with one line, writes nothing', (args, message) => {
  const out = path.join(dir, `bad-${args.replace(/\W/g, '')}`);
  const r = sh(`./run-job.sh --input '${dataViews('diginetica', dir)}' --output '${out}' ${args}`);
  expect(r.code).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0].startsWith(`run-job: ${message}`)).toBe(true);
  expect(lines[1]).toBe('run-job: see ./run-job.sh --help');
  expect(fs.existsSync(out)).toBe(false);
});

describe('the executables', () => {
  test('pairs-reducer.js --supports: kept paths per product and in all, after duplicates and the path cap; one-product paths count', () => {
    const views = 'p1\ta\np1\ta\np1\tb\np2\ta\np3\ta\np3\tb\np3\tc\np3\td\np4\tc\n';
    const r = sh(`printf '${views.replace(/\t/g, '\\t').replace(/\n/g, '\\n')}' | dist/pairs-reducer.js --supports --max-path-products 3 2>/dev/null`);
    expect(r.code).toBe(0);
    const diagonal = r.stdout.split('\n').filter((l) => /^([^\t]*)\t\1\t/.test(l));
    // p3 (4 products) is over the cap: kept paths p1 {a, b}, p2 {a}, p4 {c}.
    expect(diagonal.sort()).toEqual(['\t\t3', 'a\ta\t2', 'b\tb\t1', 'c\tc\t1'].sort());
  });

  test.each([
    [['--score', 'cosine'], '--score cosine needs --supports FILE'],
    [['--score', 'foo'], '--score must be one of count, cosine, jaccard, llr'],
    [['--top', '-1'], '--top'],
    [['--min-count', '0'], '--min-count'],
  ])('sum-reducer.js %j exits 2: %s', (args, message) => {
    const r = sh(`dist/sum-reducer.js ${args.join(' ')} < /dev/null`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test('identity-mapper.js --diagonal and --off-diagonal split phase 1 output', () => {
    const input = 'a\\ta\\t2\\na\\tb\\t1\\n\\t\\t3\\nb\\ta\\t1\\n';
    expect(sh(`printf '${input}' | dist/identity-mapper.js --diagonal 2>/dev/null`).stdout).toBe('a\ta\t2\n\t\t3\n');
    expect(sh(`printf '${input}' | dist/identity-mapper.js --off-diagonal 2>/dev/null`).stdout).toBe('a\tb\t1\nb\ta\t1\n');
  });
});
