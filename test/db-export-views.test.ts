/**
 * run-job.sh --export-views FILE against a private MariaDB: the views with
 * UNIX_TIMESTAMP(viewed_at), byte for byte the rows that were loaded, ready
 * for dist/evaluate.js; nothing else runs (no lock, no tables touched).
 *
 * Needs mariadb-server and mariadb-client; skips with a visible reason
 * without them, except under CI=true, where it fails.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATA, ROOT, sh, tmpDir } from './helpers/exec';
import { JobUser, MariaDb } from './helpers/mariadb';
import { jobDatabase } from './helpers/mariadb-shared';
import { describeIf } from './helpers/suite';
import { missingMariaDb } from './helpers/tools';

const DB = 'vp_export';

jest.setTimeout(300_000);

let db: MariaDb;
let job: JobUser;
let work: string;

function runJob(args: string[]): { code: number | null; stderr: string } {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VP_') && k !== 'MYSQL_PWD') env[k] = v;
  const r = spawnSync(path.join(ROOT, 'run-job.sh'), ['--db-defaults-file', job.optionFile, '--database', DB, ...args], {
    cwd: ROOT,
    env: { ...env, VP_LOCK_FILE: path.join(work, 'job.lock') },
    encoding: 'utf8',
  });
  return { code: r.status, stderr: r.stderr };
}

describeIf(missingMariaDb(), '--export-views against MariaDB', () => {
  const movielens = path.join(DATA, 'movielens-100k-u.data.tsv');

  beforeAll(async () => {
    work = tmpDir('vp-export-test-');
    ({ db, job } = await jobDatabase(DB));
    db.sql(
      `LOAD DATA LOCAL INFILE '${movielens}' INTO TABLE recent_items (path_id, product_id, @rating, @t) SET viewed_at = FROM_UNIXTIME(@t)`,
      DB,
    );
  });

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('writes path_id, product_id, UNIX_TIMESTAMP(viewed_at): the loaded rows; evaluate.js reads it', () => {
    const before = db.tableDigest(DB, 'viewed_products');
    const file = path.join(work, 'views.tsv');
    const r = runJob(['--export-views', file]);
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stderr).toContain('export: 100000 rows');
    expect(r.stderr).toContain(`wrote ${file}`);
    const exported = sh(`LC_ALL=C sort '${file}'`).stdout;
    const loaded = sh(`awk -F'\\t' -v OFS='\\t' '{ print $1, $2, $4 }' '${movielens}' | LC_ALL=C sort`).stdout;
    expect(exported).toBe(loaded);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
    // Only exported: no lock taken, no table touched.
    expect(fs.existsSync(path.join(work, 'job.lock'))).toBe(false);
    expect(db.tableDigest(DB, 'viewed_products')).toBe(before);
    expect(db.tables(DB)).toEqual(['products', 'recent_items', 'viewed_products']);
    const e = sh(`node dist/evaluate.js --views '${file}' --scores count,popularity --format tsv`);
    expect(e.code).toBe(0);
    expect(e.stdout.split('\n')[0]).toBe('score\thr@20\tmrr@20\tcoverage\tpopularity\thr@20_vs_count_low\thr@20_vs_count_high\tmrr@20_vs_count_low\tmrr@20_vs_count_high');
    expect(e.stderr).toContain('views: 100000 in 943 paths');
  });

  test('a failed export leaves no file (exit 10); --export-views with --input or --output is a usage error (exit 2)', () => {
    const file = path.join(work, 'missing-table.tsv');
    const r = runJob(['--export-views', file, '--views-table', 'no_such_table']);
    expect(r.code).toBe(10);
    expect(r.stderr).toContain(`export from ${DB}.no_such_table failed`);
    expect(fs.existsSync(file) || fs.existsSync(`${file}.partial`)).toBe(false);
    for (const more of [['--input', movielens], ['--output', work]]) {
      const u = runJob(['--export-views', file, ...more]);
      expect({ more, code: u.code, stderr: u.stderr }).toEqual({ more, code: 2, stderr: expect.stringContaining('--export-views only exports') });
    }
  });
  test('the job: --order-column viewed_at exported as Unix seconds, --window pushed into the WHERE; the same lists as from a file', () => {
    const out = path.join(work, 'window-db');
    const r = runJob(['--order-column', 'viewed_at', '--score', 'proximity', '--top', '5', '--window', '30', '--output', out]);
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stderr).toContain('SELECT path_id, product_id, UNIX_TIMESTAMP(`viewed_at`) FROM vp_export.recent_items WHERE `viewed_at` >= (SELECT MAX(`viewed_at`)');
    // The export read the window (with its day of slack) only: 161 of the 943 paths start in the last 30 days.
    const exported = Number(/export: (\d+) rows/.exec(r.stderr)?.[1]);
    expect(exported).toBeGreaterThan(0);
    expect(exported).toBeLessThan(100_000);
    expect(r.stderr).toContain('window: 161 of ');
    const file = path.join(work, 'ml3.tsv');
    expect(sh(`awk -F'\\t' -v OFS='\\t' '{ print $1, $2, $4 }' '${movielens}' > '${file}'`).code).toBe(0);
    const fromFile = path.join(work, 'window-file');
    expect(sh(`./run-job.sh --input '${file}' --output '${fromFile}' --score proximity --top 5 --window 30`).code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'viewed_products.tsv')).equals(fs.readFileSync(path.join(fromFile, 'viewed_products.tsv')))).toBe(true);
    const u = runJob(['--score', 'proximity', '--output', path.join(work, 'no-order')]);
    expect({ code: u.code, stderr: u.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('--score proximity needs the views\' order: --order-column COLUMN') });
  });
});
