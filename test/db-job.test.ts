/**
 * The production job against a private MariaDB (the run's server, a database
 * of this suite's own): export, both phases, mysqlimport into a staging
 * table, checks, atomic swap; failures, an empty export and the shrink guard
 * never touch the live table nor leave a staging table behind, and the
 * password never shows in any command line, child environment or the log.
 * Kills and concurrent runs: db-interrupted.test.ts.
 *
 * Needs mariadb-server and mariadb-client; skips with a visible reason
 * without them, except under CI=true, where it fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DbJob } from './helpers/db-job';
import { dataViews, sh } from './helpers/exec';
import { applySchema } from './helpers/mariadb-shared';
import { watchProcs } from './helpers/procs';
import { referenceImportFile, referenceJob } from './helpers/reference';
import { describeIf } from './helpers/suite';
import { missingMariaDb } from './helpers/tools';
import { compareRanked, Ranked } from './helpers/ranking-reference';

const DB = 'vp_test';

jest.setTimeout(300_000);

describeIf(missingMariaDb(), 'production job against MariaDB', () => {
  let ctx: DbJob;

  beforeAll(async () => {
    // Diginetica: every full run and import of this suite at a thirtieth of MovieLens's rows.
    ctx = await DbJob.create(DB, 'diginetica');
  });

  afterAll(() => ctx?.remove());

  test('schema.sql is idempotent and loading gave every view', () => {
    applySchema(ctx.db, DB);
    expect(ctx.db.tables(DB)).toEqual(['products', 'recent_items', 'viewed_products']);
    expect(ctx.db.sql('SELECT COUNT(*) FROM recent_items', DB).trim()).toBe('12391');
  });

  test('bad table and database names are refused before anything runs (exit 2)', async () => {
    for (const args of [
      ctx.dbArgs('--table', 'viewed_products`; DROP TABLE recent_items; --'),
      ['--db-defaults-file', ctx.job.optionFile, '--database', 'vp test'],
      ctx.dbArgs('--views-table', 'a-b'),
      ctx.dbArgs('--staging-database', 'a-b'),
      ctx.dbArgs('--table', `t${'x'.repeat(49)}`),
      ctx.dbArgs('--min-share', '2'),
      ['--database', DB],
    ]) {
      const r = await ctx.runJob(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
    }
    expect(ctx.db.tables(DB)).toEqual(['products', 'recent_items', 'viewed_products']);
  });

  test('a full run gives exactly the expected table, and the password is never on a command line, in an environment or in the log', async () => {
    const logFile = path.join(ctx.work, 'full.log');
    const watch = watchProcs(ctx.job.password);
    const r = await ctx.runJob([...ctx.dbArgs('--log', logFile)]);
    const { leaks, seen, scans } = await watch.stop();
    const log = fs.readFileSync(logFile, 'utf8');
    expect({ code: r.code, log: r.code === 0 ? '' : log }).toEqual({ code: 0, log: '' });
    expect(ctx.facts()).toEqual({ rows: 59_750, sum: 61_252 });
    expect(ctx.tableText()).toBe(fs.readFileSync(ctx.expectedFile, 'latin1'));
    expect(ctx.leftoverTables()).toEqual([]);
    // The watcher really saw the run's processes while they ran.
    expect(scans).toBeGreaterThan(10);
    expect(seen.has('mysqlimport')).toBe(true);
    expect(seen.has('pairs-reducer.js')).toBe(true);
    expect(leaks).toEqual([]);
    expect(log.includes(ctx.job.password)).toBe(false);
    expect(r.stderr.includes(ctx.job.password)).toBe(false);
    expect(log).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ run-job: export: 12391 rows/m);
    // Rows against rows (no --top): the message once compared rows with products.
    expect(log).toMatch(/import: swapped in the new viewed_products: 59750 rows, lists for 6743 products; the previous one had \d+ rows$/m);
  });

  test('mysqlimport failing after it loaded the rows: exit 30, live table byte-identical, no staging table', async () => {
    const before = ctx.liveDigest();
    const bin = path.join(ctx.work, 'failing-bin');
    fs.mkdirSync(bin, { recursive: true });
    const real = sh('command -v mysqlimport').stdout.trim();
    fs.writeFileSync(
      path.join(bin, 'mysqlimport'),
      `#!/bin/sh\n'${real}' "$@" || exit\necho 'mysqlimport: simulated failure after loading' >&2\nexit 7\n`,
      { mode: 0o755 },
    );
    const r = await ctx.runJob(ctx.dbArgs(), { PATH: `${bin}:${process.env.PATH}` });
    ctx.expectUntouched(before, r, 30);
    expect(r.stderr).toMatch(/simulated failure after loading/);
    expect(r.stderr).toMatch(/cleanup: dropped vp_test_staging\.viewed_products__new_[0-9a-f]{8}\n/);
  });

  test('an empty export: the shrink guard refuses (exit 40), live table byte-identical, no staging table', async () => {
    const before = ctx.liveDigest();
    ctx.db.sql('CREATE TABLE IF NOT EXISTS views_empty LIKE recent_items', DB);
    const r = await ctx.runJob(ctx.dbArgs('--views-table', 'views_empty'));
    ctx.expectUntouched(before, r, 40);
    expect(r.stderr).toMatch(/shrink guard: the new result is empty/);
    ctx.db.sql('DROP TABLE views_empty', DB);
  });

  test('an export that holds no views (empty path ids): exit 60 names the export, not its deleted file; live table byte-identical', async () => {
    const before = ctx.liveDigest();
    ctx.db.sql("CREATE TABLE views_blank LIKE recent_items; INSERT INTO views_blank (path_id, product_id) VALUES ('', 'a'), ('', 'b')", DB);
    const r = await ctx.runJob(ctx.dbArgs('--views-table', 'views_blank'));
    ctx.expectUntouched(before, r, 60);
    expect(r.stderr).toContain(`ERROR: no valid views in the export of ${DB}.views_blank (2 of 2 lines skipped: empty field 2)`);
    expect(r.stderr).toContain(`identity-mapper: the export of ${DB}.views_blank:1: bad view (empty field): "\\ta"`);
    expect(r.stderr).not.toContain('views.tsv');
    ctx.db.sql('DROP TABLE views_blank', DB);
  });

  test('with a database, --output DIR skips the import and --input FILE skips the export', async () => {
    const before = ctx.liveDigest();
    const out = path.join(ctx.work, 'export-only');
    const exported = await ctx.runJob(ctx.dbArgs('--output', out));
    expect({ code: exported.code, stderr: exported.code === 0 ? '' : exported.stderr }).toEqual({ code: 0, stderr: '' });
    expect(exported.stderr).toMatch(/export: 12391 rows/);
    expect(exported.stderr).not.toMatch(/import:/);
    expect(fs.readFileSync(path.join(out, 'viewed_products.tsv'), 'latin1')).toBe(fs.readFileSync(ctx.expectedFile, 'latin1'));
    expect(ctx.liveDigest()).toBe(before);
    // Import only: a views file of three users into a new table, checked against the reference job.
    const lines = fs
      .readFileSync(dataViews('diginetica', ctx.work), 'latin1')
      .split('\n')
      .filter((l) => /^(1|2|3)\t/.test(l));
    const small = path.join(ctx.work, 'three-users.tsv');
    fs.writeFileSync(small, lines.map((l) => `${l}\n`).join(''), 'latin1');
    const imported = await ctx.runJob(ctx.dbArgs('--input', small, '--table', 'vp_input'));
    expect({ code: imported.code, stderr: imported.code === 0 ? '' : imported.stderr }).toEqual({ code: 0, stderr: '' });
    expect(imported.stderr).not.toMatch(/export:/);
    expect(ctx.tableText('vp_input')).toBe(referenceImportFile(referenceJob(lines)));
    expect(ctx.liveDigest()).toBe(before);
    ctx.db.sql('DROP TABLE vp_input', DB);
  });

  test('ids stay opaque bytes through export, job and import (007 vs 7, case, trailing space, TAB, backslash, non-UTF-8)', async () => {
    const products = ['007', '7', '7 ', '85123A', '85123a', 'a\tb', 'back\\slash', '\xffA', '18446744073709551617'];
    const paths: Record<string, string[]> = { p1: products, p2: ['007', '7', '7'], 'p\t3': ['85123A', '85123a'] };
    const hex = (s: string): string => Buffer.from(s, 'latin1').toString('hex');
    const values: string[] = [];
    for (const [p, ps] of Object.entries(paths)) for (const x of ps) values.push(`(X'${hex(p)}', X'${hex(x)}')`);
    ctx.db.sql(`CREATE TABLE views_ids LIKE recent_items; INSERT INTO views_ids (path_id, product_id) VALUES ${values.join(', ')}`, DB);
    const expected = new Map<string, number>();
    for (const ps of Object.values(paths)) {
      const set = [...new Set(ps)];
      for (const a of set) for (const b of set) if (a !== b) expected.set(`${hex(a)} ${hex(b)}`, (expected.get(`${hex(a)} ${hex(b)}`) ?? 0) + 1);
    }
    // A result table that does not exist yet is created by the first run.
    const r = await ctx.runJob(ctx.dbArgs('--views-table', 'views_ids', '--table', 'vp_ids'));
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    const got = ctx.db
      .sql('SELECT HEX(source_product_id), HEX(target_product_id), count FROM vp_ids', DB)
      .trim()
      .split('\n')
      .map((l) => l.split('\t'))
      .map(([s, t, c]) => [`${s.toLowerCase()} ${t.toLowerCase()}`, Number(c)] as const);
    expect(new Map(got)).toEqual(expected);
    expect(got.length).toBe(expected.size);
    // Created from db/schema.sql's definition of the result table.
    const createOf = (t: string): string =>
      ctx.db.sql(`SHOW CREATE TABLE \`${t}\``, DB).slice(t.length + 1).replace(`\`${t}\``, '`T`');
    expect(createOf('vp_ids')).toBe(createOf('viewed_products'));
    ctx.db.sql('DROP TABLE views_ids; DROP TABLE vp_ids', DB);
  });

  test("ops/top-products.sh prints a product's list, top n by weight", () => {
    const r = sh(`ops/top-products.sh --db-defaults-file '${ctx.job.optionFile}' --database ${DB} --top 5 40921 "1'; DROP TABLE x; --" 9654`);
    // The odd id is not in the table: named on stderr, exit 3, the others' lists printed.
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`top-products: product "1'; DROP TABLE x; --" is not in viewed_products\n`);
    // The same from the expected file, ranked by the tests' one reference (count rows: score 0).
    const ranked = (f: string[]): Ranked => ({ target: Buffer.from(f[1], 'latin1'), count: f[2], score: 0 });
    const rows = fs
      .readFileSync(ctx.expectedFile, 'latin1')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));
    const want = ['40921', '9654']
      .flatMap((p) =>
        rows
          .filter(([src]) => src === p)
          .sort((x, y) => compareRanked(ranked(x), ranked(y)))
          .slice(0, 5),
      )
      .map((f) => `${f.join('\t')}\n`)
      .join('');
    expect(r.stdout).toBe(want);
    expect(r.stdout.split('\n').filter((l) => l !== '')).toHaveLength(10);
    const bad = sh(`ops/top-products.sh --db-defaults-file '${ctx.job.optionFile}' --database ${DB} --top 0 40921`);
    expect(bad.code).toBe(2);
    const known = sh(`ops/top-products.sh --db-defaults-file '${ctx.job.optionFile}' --database ${DB} --top 2 40921`);
    expect([known.code, known.stderr, known.stdout.split('\n').filter((l) => l !== '')]).toEqual([0, '', want.split('\n').slice(0, 2)]);
  });

  test('ops/top-products.sh: an unknown product says so on stderr and exits 3', () => {
    const r = sh(`ops/top-products.sh --db-defaults-file '${ctx.job.optionFile}' --database ${DB} 'no-such-product' 50x`);
    expect([r.code, r.stdout]).toEqual([3, '']);
    expect(r.stderr).toBe(
      'top-products: product "no-such-product" is not in viewed_products\n' + 'top-products: product "50x" is not in viewed_products\n',
    );
    expect(sh('ops/top-products.sh --help').stdout).toMatch(/3 a product is not in the\s+table/);
  });

  // Last: it leaves a small table behind.
  test('shrink guard: a much smaller result is refused (exit 40) unless --force; an option file others can read gets a warning', async () => {
    ctx.db.sql("CREATE TABLE views_small LIKE recent_items; INSERT INTO views_small SELECT * FROM recent_items WHERE path_id IN ('1', '2', '3')", DB);
    const before = ctx.liveDigest();
    const open = path.join(ctx.work, 'open.cnf');
    fs.copyFileSync(ctx.job.optionFile, open);
    fs.chmodSync(open, 0o644);
    const refused = await ctx.runJob(['--db-defaults-file', open, '--database', DB, '--views-table', 'views_small']);
    ctx.expectUntouched(before, refused, 40);
    expect(refused.stderr).toMatch(/WARNING: .*open\.cnf is accessible by group\/others \(mode 644\)/);
    expect(refused.stderr).toMatch(/shrink guard: the new result has \d+ rows, less than 0.5 of the live table's 59750/);
    // In a terminal it asks instead (dist/confirm.js, readline-sync on the tty): "n" keeps the table ...
    const no = await ctx.runInTerminal(ctx.dbArgs('--views-table', 'views_small'), 'n');
    ctx.expectUntouched(before, no, 40);
    expect(no.stderr).toMatch(/Replace vp_test\.viewed_products anyway\? \[y\/n\]: n/);
    expect(no.stderr).toMatch(/not confirmed, viewed_products left as it was/);
    // ... and "y" imports.
    const yes = await ctx.runInTerminal(ctx.dbArgs('--views-table', 'views_small'), 'y');
    expect({ code: yes.code, stderr: yes.code === 0 ? '' : yes.stderr }).toEqual({ code: 0, stderr: '' });
    expect(yes.stderr).toMatch(/confirmed on the terminal; importing/);
    const small = ctx.facts();
    expect(small.rows).toBeGreaterThan(0);
    expect(small.rows).toBeLessThan(59_750 / 2);
    // Settings through the environment, with --force's equivalent: two users' views, smaller again.
    ctx.db.sql("CREATE TABLE views_smaller LIKE recent_items; INSERT INTO views_smaller SELECT * FROM recent_items WHERE path_id IN ('2', '3')", DB);
    const forced = await ctx.runJob([], { VP_DB_DEFAULTS_FILE: ctx.job.optionFile, VP_DATABASE: DB, VP_VIEWS_TABLE: 'views_smaller', VP_FORCE: '1' });
    expect({ code: forced.code, stderr: forced.code === 0 ? '' : forced.stderr }).toEqual({ code: 0, stderr: '' });
    expect(forced.stderr).toMatch(/shrink guard: the new result has \d+ rows, less than 0.5 of the live table's \d+; importing anyway \(--force\)/);
    expect(ctx.facts().rows).toBeLessThan(small.rows / 2);
    expect(ctx.facts().rows).toBeGreaterThan(0);
    expect(ctx.leftoverTables()).toEqual([]);
    ctx.db.sql('DROP TABLE views_small; DROP TABLE views_smaller', DB);
  });
});
