/**
 * Ranked lists in MySQL, against a private MariaDB: a live table of the older
 * shape (no score, no list_rank) is replaced by the swap; list_rank numbers
 * each list in the job's order; the product page's query uses the primary key
 * with no filesort; with --top the shrink guard compares products with a list.
 *
 * Needs mariadb-server and mariadb-client; skips with a visible reason
 * without them, except under CI=true, where it fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareRanked, Ranked } from './helpers/ranking-reference';
import { dataViews, sh, tmpDir } from './helpers/exec';
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

/** `source<TAB>target<TAB>count<TAB>score` per row, each source's list best first as the job ranks it. */
function jobOrder(rows: string[][]): string[] {
  const by = new Map<string, Ranked[]>();
  for (const f of rows) {
    const list = by.get(f[0]) ?? [];
    list.push({ target: Buffer.from(f[1], 'latin1'), count: f[2], score: Number(f[3] ?? f[2]) });
    by.set(f[0], list);
  }
  const out: string[] = [];
  for (const [s, list] of [...by].sort(([a], [b]) => Buffer.compare(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1')))) {
    for (const e of list.sort(compareRanked)) out.push(`${s}\t${e.target.toString('latin1')}\t${e.count}`);
  }
  return out;
}

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
});
