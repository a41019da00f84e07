/**
 * --score proximity through run-job.sh against an independent reference (one
 * DuckDB query from the definition in docs/scores.md, sharing no code with the
 * job): MovieLens (user as path, timestamp as order) and the YooChoose sample
 * (a header line, decimal times), local runner with 1 and 3 reducers and Hadoop
 * Streaming (its local job runner): the same lists, counts exact, scores within
 * 1e-6. Then the input rules of the order column on small files.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATA, sh, tmpDir } from './helpers/exec';
import { hadoopReady } from './helpers/hadoop-job';
import { describeIf } from './helpers/suite';
import { missingHadoop } from './helpers/tools';

jest.setTimeout(900_000);

const dir = tmpDir('vp-proximity-');
const TOP = 10;
const MIN_COUNT = 2;

type Row = { t: string; c: number; score: number };

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Each source's best TOP + 5 targets by the definition: ordered views, repeats dropped, d = nearest positions, sum of 1/d. */
async function reference(views: string, header: boolean): Promise<Map<string, Row[]>> {
  const sql = `
  WITH raw AS (
    SELECT p, a, o FROM read_csv(${quote(views)}, delim = '\t', header = ${header}, quote = '', escape = '',
      auto_detect = false, columns = {'p': 'VARCHAR', 'a': 'VARCHAR', 'o': 'DECIMAL(38,9)'})
  ),
  ordered AS (SELECT p, a, row_number() OVER (PARTITION BY p ORDER BY o, a) AS r FROM raw),
  runs AS (SELECT p, a, r FROM (SELECT *, lag(a) OVER (PARTITION BY p ORDER BY r) AS prev FROM ordered) WHERE prev IS NULL OR prev <> a),
  seq AS (SELECT p, a, row_number() OVER (PARTITION BY p ORDER BY r) AS i FROM runs),
  kept AS (SELECT p FROM raw GROUP BY p HAVING count(DISTINCT a) <= 1000),
  v AS (SELECT * FROM seq SEMI JOIN kept USING (p)),
  near AS (SELECT x.p, x.a AS s, y.a AS t, min(abs(x.i - y.i)) AS d FROM v x JOIN v y ON x.p = y.p AND x.a <> y.a GROUP BY 1, 2, 3),
  pairs AS (SELECT s, t, count(*) AS c, sum(1.0 / d::DOUBLE) AS score FROM near GROUP BY 1, 2 HAVING count(*) >= ${MIN_COUNT}),
  ranked AS (SELECT *, row_number() OVER (PARTITION BY s ORDER BY score DESC, c DESC, t) AS r FROM pairs)
  SELECT s, t, c::BIGINT AS c, score FROM ranked WHERE r <= ${TOP + 5} ORDER BY s, r`;
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  const rows = (await con.runAndReadAll(sql)).getRowsJS();
  con.closeSync();
  const lists = new Map<string, Row[]>();
  for (const [s, t, c, score] of rows) {
    const list = lists.get(String(s)) ?? [];
    list.push({ t: String(t), c: Number(c), score: Number(score) });
    lists.set(String(s), list);
  }
  return lists;
}

/** The job's lists from its result file, each best first (score desc, count desc, target bytes). */
function jobLists(file: string): Map<string, Row[]> {
  const lists = new Map<string, Row[]>();
  for (const line of fs.readFileSync(file, 'latin1').trimEnd().split('\n')) {
    const [s, t, c, score, ...rest] = line.split('\t');
    expect(rest).toEqual([]);
    const list = lists.get(s) ?? [];
    list.push({ t, c: Number(c), score: Number(score) });
    lists.set(s, list);
  }
  for (const list of lists.values()) list.sort((x, y) => y.score - x.score || y.c - x.c || Buffer.compare(Buffer.from(x.t), Buffer.from(y.t)));
  return lists;
}

/**
 * The job's lists agree with the reference: the same sources, each list as long as
 * the reference's (at most TOP), every row a reference row with its exact count and
 * its score within 1e-6, and the i-th scores within 1e-6 (targets tied closer than
 * that may change places at the cut).
 */
function expectAgree(got: Map<string, Row[]>, want: Map<string, Row[]>): void {
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [s, wantList] of want) {
    const list = got.get(s)!;
    expect(list).toHaveLength(Math.min(TOP, wantList.length));
    const byTarget = new Map(wantList.map((r) => [r.t, r]));
    list.forEach((row, i) => {
      const ref = byTarget.get(row.t);
      expect({ s, ...row, found: ref !== undefined }).toEqual({ s, ...row, found: true });
      expect(row.c).toBe(ref!.c);
      expect(Math.abs(row.score - ref!.score)).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(row.score - wantList[i].score)).toBeLessThanOrEqual(1e-6);
    });
  }
}

function runJob(views: string, name: string, args: string): { file: string; stderr: string } {
  const out = path.join(dir, name);
  const r = sh(`./run-job.sh --input '${views}' --output '${out}' --score proximity --top ${TOP} --min-count ${MIN_COUNT} ${args}`);
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
  return { file: path.join(out, 'viewed_products.tsv'), stderr: r.stderr };
}

const DATASETS = {
  // MovieLens 100K: user<TAB>item<TAB>rating<TAB>timestamp -> user, item, timestamp.
  movielens: { header: false, make: (file: string) => `cut -f1,2,4 '${DATA}/movielens-100k-u.data.tsv' > '${file}'` },
  // YooChoose sample: session<TAB>item<TAB>seconds (decimals), a header line (skipped as a bad view).
  yoochoose: { header: true, make: (file: string) => `cp '${DATA}/yoochoose-100k-train.tsv' '${file}'` },
} as const;

describe.each(Object.keys(DATASETS) as Array<keyof typeof DATASETS>)('%s', (name) => {
  const data = DATASETS[name];
  const views = path.join(dir, `${name}.tsv`);
  let want: Map<string, Row[]>;
  let one: Buffer;

  beforeAll(async () => {
    expect(sh(data.make(views)).code).toBe(0);
    want = await reference(views, data.header);
  });

  test('local runner, 1 reducer: the reference lists', () => {
    const run = runJob(views, `${name}-r1`, '--reducers 1');
    expectAgree(jobLists(run.file), want);
    one = fs.readFileSync(run.file);
    if (data.header) expect(run.stderr).toMatch(/skipped for order 1: order not a number 1, no order column 0/);
  });

  test('local runner, 3 reducers: the same bytes', () => {
    expect(fs.readFileSync(runJob(views, `${name}-r3`, '--reducers 3').file).equals(one)).toBe(true);
  });

  describeIf(missingHadoop(), 'Hadoop Streaming (local job runner)', () => {
    test('the same bytes', async () => {
      await hadoopReady();
      const file = runJob(views, `${name}-hadoop`, `--runner hadoop --reducers 3 --work-dir '${path.join(dir, `${name}-hadoop-work`)}'`).file;
      expect(fs.readFileSync(file).equals(one)).toBe(true);
    });
  });
});

describe('the order column', () => {
  function write(name: string, lines: string[]): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
    return file;
  }
  function run(file: string, args: string): { code: number; stderr: string; out: string } {
    const out = path.join(dir, `${path.basename(file)}-${args.replace(/\W/g, '')}`);
    const r = sh(`./run-job.sh --input '${file}' --output '${out}' ${args}`);
    const result = path.join(out, 'viewed_products.tsv');
    return { code: r.code, stderr: r.stderr, out: fs.existsSync(result) ? fs.readFileSync(result, 'latin1') : '' };
  }
  // p1: a b c in time order, then a again; p2: c then a, at the same time (ties: product bytes).
  const good = ['p1\ta\t10', 'p1\tb\t20', 'p1\tc\t25.5', 'p1\ta\t30', 'p2\tc\t7', 'p2\ta\t7', 'p3\tb\t-3', 'p3\tc\t-1'];

  test('the lists of a small input, by hand', () => {
    const r = run(write('good.tsv', good), '--score proximity');
    expect(r.code).toBe(0);
    // p1 sequence a b c a: d(a,b) 1, d(a,c) 1, d(b,c) 1; p2 a c: 1; p3 b c: 1.
    expect(r.out).toBe(['a\tb\t1\t1', 'a\tc\t2\t2', 'b\ta\t1\t1', 'b\tc\t2\t2', 'c\ta\t2\t2', 'c\tb\t2\t2', ''].join('\n'));
    const far = run(write('far.tsv', ['p\ta\t1', 'p\tb\t2', 'p\tc\t3', 'p\td\t4']), '--score proximity --top 2');
    expect(far.out).toBe(['a\tb\t1\t1', 'a\tc\t1\t0.5', 'b\ta\t1\t1', 'b\tc\t1\t1', 'c\tb\t1\t1', 'c\td\t1\t1', 'd\tb\t1\t0.5', 'd\tc\t1\t1', ''].join('\n'));
  });

  test('an order that is not a number: skipped and counted as a bad view, five warnings, never read as 0', () => {
    const bad = ['p1\ta\tx', 'p1\tb\t', 'p1\tc\t1e5', 'p2\ta\t1.', 'p2\tb\t.5', 'p2\tc\t--1', 'p2\td\t0x10'];
    const file = write('bad-order.tsv', [...good, ...bad]);
    // With proximity a bad order; with another score a third field that is no order is one field too many, as before.
    for (const [score, reason, summary] of [
      ['proximity', 'order not a number', /skipped for order 7: order not a number 7, no order column 0/],
      ['count', 'more than one TAB', /skipped lines\s+7: wrong field count 7,/],
    ] as const) {
      const r = run(file, `--score ${score}`);
      expect(r.code).toBe(0);
      expect(r.out).toBe(run(write(`only-good-${score}.tsv`, good), `--score ${score}`).out);
      const warnings = r.stderr.split('\n').filter((l) => l.includes('bad view ('));
      expect(warnings).toHaveLength(5);
      expect(warnings[0]).toContain(`bad-order.tsv:9: bad view (${reason}): "p1\\ta\\tx"`);
      expect(warnings[4]).toContain('(further bad lines are only counted)');
      expect(r.stderr).toMatch(summary);
    }
  });

  test('a path mixing two- and three-column lines: with proximity its two-column lines are skipped (no order column), with other scores the order is dropped', () => {
    const mixed = write('mixed.tsv', ['p1\ta\t1', 'p1\tb', 'p1\tc\t3', 'p2\ta', 'p2\tc']);
    const prox = run(mixed, '--score proximity');
    expect(prox.code).toBe(0);
    expect(prox.out).toBe(run(write('mixed-ordered.tsv', ['p1\ta\t1', 'p1\tc\t3']), '--score proximity').out);
    expect(prox.stderr).toMatch(/skipped for order 3: order not a number 0, no order column 3/);
    const count = run(mixed, '--score count');
    expect(count.out).toBe(run(write('mixed-2.tsv', ['p1\ta', 'p1\tb', 'p1\tc', 'p2\ta', 'p2\tc']), '--score count').out);
    expect(count.stderr).not.toMatch(/skipped for order/);
  });

  test('--score proximity on two-column views exits 2 with one line naming the column, writes nothing', () => {
    const r = run(write('two.tsv', ['p1\ta', 'p1\tb']), '--score proximity');
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/--score proximity needs the views' order, a third column \(path_id<TAB>product_id<TAB>order, a number\): .*two\.tsv has two columns$/);
    expect(r.out).toBe('');
  });
});
