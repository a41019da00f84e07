/**
 * Ranked lists in MySQL. The import's rank (lib/db-import.sh's
 * db_ranked_file, a sort) against the result-row module's order on rows with
 * ties and byte-order edge cases (no database needed). Then against a private
 * MariaDB: a live table of the older shape (no score, no list_rank) is
 * replaced by the swap; list_rank numbers each list in the module's order; the
 * product page's query uses the primary key with no filesort; with --top the
 * shrink guard compares products with a list.
 *
 * The MariaDB part needs mariadb-server and mariadb-client; skips with a
 * visible reason without them, except under CI=true, where it fails.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rankedLists } from '../src/core/rank/result-row';
import { dataViews, ROOT, sh, tmpDir } from './helpers/exec';
import { JobUser, MariaDb } from './helpers/mariadb';
import { jobDatabase } from './helpers/mariadb-shared';
import { describeIf } from './helpers/suite';
import { missingMariaDb } from './helpers/tools';

const DB = 'vp_ranked';

jest.setTimeout(300_000);

let db: MariaDb;
let job: JobUser;
let work: string;

/** run-job.sh importing into the test database (no --output). */
function importJob(views: string, args: string): { code: number; stderr: string } {
  return sh(`./run-job.sh --input '${views}' --db-defaults-file '${job.optionFile}' --database ${DB} --reducers 2 ${args}`, {
    VP_LOCK_FILE: path.join(work, 'job.lock'),
  });
}

/** The file the job writes for the same views and options. */
function resultRows(views: string, args: string): string[][] {
  const out = path.join(work, `out-${args.replace(/\W/g, '')}`);
  const r = sh(`./run-job.sh --input '${views}' --output '${out}' --reducers 2 ${args}`);
  if (r.code !== 0) throw new Error(r.stderr);
  return fs.readFileSync(path.join(out, 'viewed_products.tsv'), 'latin1').trimEnd().split('\n').map((l) => l.split('\t'));
}

/** `source<TAB>target<TAB>count` per row, sources in byte order, each list best first as the module ranks it. */
function jobOrder(rows: string[][]): string[] {
  const lists = rankedLists(Buffer.from(rows.map((f) => `${f.join('\t')}\n`).join(''), 'latin1'));
  const out: string[] = [];
  for (const s of [...lists.keys()].sort()) for (const r of lists.get(s) ?? []) out.push(`${s}\t${r.target}\t${r.count}`);
  return out;
}

/** db_ranked_file on `rows`: source -> targets in list_rank order (checking the ranks are 1..n). */
function importRank(rows: string, dir: string): Map<string, string[]> {
  const file = path.join(dir, 'rows.tsv');
  fs.writeFileSync(file, rows, 'latin1');
  const script = `WORK_DIR=$2; source "$1/lib/db-import.sh"; db_ranked_file "$3" "$2/ranked.tsv"`;
  const r = spawnSync('bash', ['-c', script, 'rank', ROOT, dir, file], { encoding: 'latin1' });
  if (r.status !== 0) throw new Error(r.stderr);
  const lists = new Map<string, string[]>();
  for (const line of fs.readFileSync(path.join(dir, 'ranked.tsv'), 'latin1').split('\n')) {
    if (line === '') continue;
    const f = line.split('\t');
    const list = lists.get(f[0]) ?? [];
    expect(Number(f[f.length - 1])).toBe(list.length + 1);
    list.push(f[1]);
    lists.set(f[0], list);
  }
  return lists;
}

/** The module's targets per source, for comparing with importRank. */
function moduleRank(rows: string): Map<string, string[]> {
  return new Map([...rankedLists(Buffer.from(rows, 'latin1'))].map(([s, l]) => [s, l.map((r) => r.target)]));
}

describe("the import's rank (db_ranked_file) = the result-row module's order", () => {
  let dir: string;
  beforeAll(() => {
    dir = tmpDir('vp-import-rank-');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // Ties in score, then in count; ids that look like numbers, bytes past 0x7f, prefixes; counts past 2^53; scores as formatScore writes them.
  const targets = ['10', '9', '010', 'B', 'a', 'ab', 'a\xff', '\xff', '\x80', 'a b', '1.0', '-1', 'é'];
  const sources = ['s', '10', '9', '\xff', '1'];
  const counts = ['1', '2', '9', '10', '9007199254740992', '9007199254740993', '90071992547409930', '123456789012345678901234567890', '123456789012345678901234567891'];
  const scores = [0, 1e-7, 1.5e-7, 1e-6, 0.1, 0.30000000000000004, 0.3, 1, 2, 17, 1e21, 123456789.5].map(String);

  /** Every source with every target, count and score picked by a small deterministic generator. */
  function rows(scored: boolean, seed: number): string {
    let x = seed;
    // The high bits of a 31-bit LCG (its low bits cycle).
    const next = (n: number): number => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return Math.floor(x / 65536) % n;
    };
    const out: string[] = [];
    for (const s of sources) {
      for (const t of targets) {
        const c = counts[next(3) === 0 ? next(counts.length) : next(2)];
        out.push(`${s}\t${t}\t${c}${scored ? `\t${scores[next(2) === 0 ? next(scores.length) : next(2)]}` : ''}\n`);
      }
    }
    return out.sort().join('');
  }

  test.each([
    ['scored', true],
    ['counts only', false],
  ])('%s, ten draws', (_name, scored) => {
    for (let seed = 1; seed <= 10; seed++) {
      const text = rows(scored, seed);
      expect(importRank(text, dir)).toEqual(moduleRank(text));
    }
  });

  test('by hand: score ties broken by count, then by target bytes', () => {
    const text = ['s\t9\t1\t0.5', 's\t10\t1\t0.5', 's\ta\t2\t0.5', 's\t\xff\t1\t0.5', 's\tz\t9\t1e-7', 's\tB\t1\t1e+21'].map((l) => `${l}\n`).join('');
    expect(importRank(text, dir)).toEqual(new Map([['s', ['B', 'a', '10', '9', '\xff', 'z']]]));
    expect(moduleRank(text)).toEqual(importRank(text, dir));
  });
});

/** The table's rows by source bytes, then list_rank; also checks ranks are 1..n per source. */
function tableOrder(): string[] {
  const rows = db
    .sql('SELECT source_product_id, target_product_id, count, list_rank FROM viewed_products ORDER BY source_product_id, list_rank', DB)
    .trimEnd()
    .split('\n')
    .map((l) => l.split('\t'));
  let prev = '';
  let rank = 0;
  for (const f of rows) {
    rank = f[0] === prev ? rank + 1 : 1;
    prev = f[0];
    expect(Number(f[3])).toBe(rank);
  }
  return rows.map((f) => f.slice(0, 3).join('\t'));
}

describeIf(missingMariaDb(), 'ranked lists in MariaDB', () => {
  let views: string;

  beforeAll(async () => {
    work = tmpDir('vp-db-ranked-');
    ({ db, job } = await jobDatabase(DB, { schema: false }));
    views = dataViews('diginetica', work);
    // The live table as the job's earlier schema made it.
    db.sql(
      'CREATE TABLE viewed_products (source_product_id VARBINARY(255) NOT NULL, target_product_id VARBINARY(255) NOT NULL,' +
        ' count INT UNSIGNED NOT NULL, PRIMARY KEY (source_product_id, target_product_id)) ENGINE=InnoDB;' +
        " INSERT INTO viewed_products VALUES ('old', 'row', 1)",
      DB,
    );
  });

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('an older live table is replaced by the swap; list_rank follows the job ranking (llr, --top 3)', () => {
    const r = importJob(views, '--score llr --top 3');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/older shape \(no list_rank\); the swap replaces it/);
    const def = db.sql('SHOW CREATE TABLE viewed_products', DB);
    expect(def).toMatch(/`score` double DEFAULT NULL/);
    expect(def).toMatch(/PRIMARY KEY \(`source_product_id`,`list_rank`\)/);
    expect(def).toMatch(/UNIQUE KEY `viewed_products_pair` \(`source_product_id`,`target_product_id`\)/);
    expect(db.tables(DB)).toEqual(['viewed_products']);
    const rows = resultRows(views, '--score llr --top 3');
    expect(tableOrder()).toEqual(jobOrder(rows));
    // The scores read back as the job wrote them.
    const scores = db.sql("SELECT COUNT(*) FROM viewed_products WHERE score IS NULL", DB).trim();
    expect(scores).toBe('0');
  });

  test("the product page's query reads the primary key in order: no filesort", () => {
    const source = db.sql('SELECT source_product_id FROM viewed_products LIMIT 1', DB).trim();
    const plan = db.sql(
      `EXPLAIN SELECT target_product_id, count, score FROM viewed_products WHERE source_product_id = '${source}' ORDER BY list_rank LIMIT 10`,
      DB,
    );
    expect(plan).toMatch(/\tPRIMARY\t/);
    expect(plan).not.toMatch(/filesort/i);
  });

  test('ranked by count: score NULL, list_rank by count desc then target bytes', () => {
    expect(importJob(views, '--top 2').code).toBe(0);
    expect(db.sql('SELECT COUNT(*) FROM viewed_products WHERE score IS NOT NULL', DB).trim()).toBe('0');
    expect(tableOrder()).toEqual(jobOrder(resultRows(views, '--top 2')));
    const top = sh(`ops/top-products.sh --db-defaults-file '${job.optionFile}' --database ${DB} --top 1 ${tableOrder()[0].split('\t')[0]}`);
    expect(top.code).toBe(0);
    expect(top.stdout).toBe(`${tableOrder()[0]}\n`);
  });

  test('with --top the shrink guard compares products with a list: a smaller --top passes, fewer products are refused (exit 40)', () => {
    expect(importJob(views, '--top 1').code).toBe(0);
    const part = path.join(work, 'part.tsv');
    expect(sh(`head -n 2000 '${views}' > '${part}'`).code).toBe(0);
    const before = db.sql('SELECT COUNT(*) FROM viewed_products', DB);
    const r = importJob(part, '--top 1');
    expect(r.code).toBe(40);
    expect(r.stderr).toMatch(/shrink guard: the new result has \d+ products, less than 0.5 of the live table's \d+/);
    expect(db.sql('SELECT COUNT(*) FROM viewed_products', DB)).toBe(before);
  });

  test('ties in score and count, odd id bytes: list_rank in the module order (jaccard)', () => {
    // a is in 4 paths; c in 6 (2 with a): jaccard(a, c) = 2/8 = jaccard(a, t) = 1/4 for the targets seen once, with a.
    const views = path.join(work, 'ties.tsv');
    const paths = [['a', 'c', '10'], ['a', 'c', '9'], ['a', '\xff'], ['a', 'B'], ['c', 'd'], ['c', 'd'], ['c', 'd'], ['c', 'd']];
    fs.writeFileSync(views, paths.flatMap((ids, i) => ids.map((id) => `p${i}\t${id}\n`)).join(''), 'latin1');
    expect(importJob(views, '--score jaccard --force').code).toBe(0);
    const rows = resultRows(views, '--score jaccard');
    expect(tableOrder()).toEqual(jobOrder(rows));
    expect(tableOrder().filter((r) => r.startsWith('a\t'))).toEqual(['a\tc\t2', 'a\t10\t1', 'a\t9\t1', 'a\tB\t1', 'a\t\xff\t1']);
  });
});
