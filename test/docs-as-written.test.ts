/**
 * The operator's path, run as the docs write it: every block marked
 * `<!-- tested: NAME -->` in the README, docs/mysql.md and docs/serving.md,
 * extracted from the Markdown with only paths and ports substituted
 * (./helpers/doc-blocks.ts). In order: the quick start (the demo's views),
 * the job on a views file, the server on its result; then mysql.md's setup on
 * an empty database of the run's MariaDB, the trial views, the cron line (one
 * job run, as cron would start it) and the server on the table with the web
 * user. A doc edited into something that does not run fails here.
 *
 * Needs mariadb-server and mariadb-client; skips with a visible reason
 * without them, except under CI=true, where it fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { docBlocks, Substitutions } from './helpers/doc-blocks';
import { ROOT, tmpDir } from './helpers/exec';
import { MariaDb } from './helpers/mariadb';
import { sharedMariaDb } from './helpers/mariadb-shared';
import { describeIf } from './helpers/suite';
import { missingMariaDb } from './helpers/tools';

jest.setTimeout(300_000);

const README = docBlocks('README.md');
const MYSQL = docBlocks('docs/mysql.md');
const SERVING = docBlocks('docs/serving.md');

/** Every tested block, by page: a marker removed or renamed fails here. */
test('the tested blocks are where the docs say', () => {
  expect([...README.keys()]).toEqual(['readme-quick-start', 'readme-your-views']);
  expect([...MYSQL.keys()]).toEqual(['mysql-folders', 'mysql-database', 'mysql-users', 'mysql-trial-views', 'mysql-cron']);
  expect([...SERVING.keys()]).toEqual(['serving-start']);
});

/** The cron line's command: the line without its five time fields. */
function cronCommand(block: string): string {
  const lines = block.split('\n').filter((l) => l.trim() !== '');
  expect(lines).toHaveLength(1);
  const m = /^(\S+\s+){5}(.*)$/.exec(lines[0]);
  if (m === null) throw new Error(`not a crontab line: ${lines[0]}`);
  return m[2];
}

describeIf(missingMariaDb(), 'the docs, as written', () => {
  const tmp = tmpDir('vp-docs-');
  /** The checkout as an operator has it, at a path of the test's: the repository's files, its own out/. */
  const checkout = path.join(tmp, 'opt', 'viewed-products');
  const home = path.join(tmp, 'home');
  const jobTmp = path.join(tmp, 'tmp');
  const etc = path.join(tmp, 'etc', 'viewed-products');
  const varLib = path.join(tmp, 'var', 'lib', 'viewed-products');
  const varLog = path.join(tmp, 'var', 'log', 'viewed-products');
  const adminCnf = path.join(tmp, 'mysql-admin.cnf');
  const movieLens = path.join(tmp, 'movielens-tiny.tsv');
  let db: MariaDb;
  let subs: Substitutions;

  /** The environment of a shell of the operator's: no VP_* or MYSQL_PWD of ours, a HOME without a ~/.my.cnf. */
  function operatorEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VP_') && k !== 'MYSQL_PWD') env[k] = v;
    return { ...env, HOME: home, TMPDIR: jobTmp };
  }

  /** Runs a block (or line) with bash in the checkout, stopping at the first failing command. */
  function run(text: string, what: string, env = operatorEnv()): { code: number | null; stdout: string; stderr: string } {
    const script = subs.apply(text, what);
    const r = spawnSync('bash', ['-c', `set -euo pipefail\n${script}`], { cwd: checkout, env, encoding: 'utf8', maxBuffer: 1 << 26 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  function expectRuns(text: string, what: string): string {
    const r = run(text, what);
    if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stderr.slice(-3000)}`);
    return r.stdout;
  }

  /** Starts one serving line, waits for the URL it prints, GETs PATHS; then SIGTERM, exit 0. */
  async function serve(line: string, what: string, paths: string[]): Promise<{ status: number; body: string }[]> {
    const proc = spawn('bash', ['-c', `exec ${subs.apply(line, what)}`], { cwd: checkout, env: operatorEnv() });
    let err = '';
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      });
      void exited.then((code) => reject(new Error(`${what} exited ${code} before serving:\n${err}`)));
    });
    const answers: { status: number; body: string }[] = [];
    for (const p of paths) {
      const res = await fetch(new URL(p, url));
      answers.push({ status: res.status, body: await res.text() });
    }
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    return answers;
  }

  beforeAll(async () => {
    db = await sharedMariaDb();
    expect(db.sql("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop'").trim()).toBe('');
    fs.mkdirSync(checkout, { recursive: true });
    for (const name of fs.readdirSync(ROOT)) if (name !== 'out') fs.symlinkSync(path.join(ROOT, name), path.join(checkout, name));
    for (const d of [home, jobTmp, path.dirname(etc), path.dirname(varLib), path.dirname(varLog)]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(adminCnf, `[client]\nuser=root\nsocket=${db.socket}\n`, { mode: 0o600 });
    // MovieLens's shape (user, film, rating, time), small: film 50 has a list.
    const rows = [];
    for (let u = 1; u <= 30; u++) for (const f of [50, 100 + (u % 7), 200 + (u % 3)]) rows.push(`${u}\t${f}\t4\t${880000000 + u}`);
    fs.writeFileSync(movieLens, `${rows.join('\n')}\n`);
    subs = new Substitutions({
      '/opt/viewed-products': checkout,
      '/etc/viewed-products': etc,
      '/var/lib/viewed-products': varLib,
      '/var/log/viewed-products': varLog,
      '/root/mysql-admin.cnf': adminCnf,
      '/run/mysqld/mysqld.sock': db.socket,
      '../shared/data/movielens-100k-u.data.tsv': movieLens,
      'PATH=/usr/local/bin:/usr/bin:/bin': `PATH=${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      '--port 8080': '--port 0',
    });
  });

  afterAll(() => {
    if (db === undefined) return;
    db.sql(
      "DROP DATABASE IF EXISTS shop; DROP DATABASE IF EXISTS shop_staging; DROP DATABASE IF EXISTS shop_staging2; DROP USER IF EXISTS 'viewed_products_job'@'localhost', 'viewed_products_web'@'localhost'",
    );
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('README: the quick start writes the demo views and result', () => {
    expectRuns(README.get('readme-quick-start') ?? '', 'readme-quick-start');
    expect(fs.readFileSync(path.join(checkout, 'out', 'demo', 'demo-views.tsv'), 'utf8')).toMatch(/^path_id\tproduct_id\n/);
    expect(fs.statSync(path.join(checkout, 'out', 'demo', 'viewed_products.tsv')).size).toBeGreaterThan(0);
  });

  test("README: the job on a shared data file, and a product's list", () => {
    const out = expectRuns(README.get('readme-your-views') ?? '', 'readme-your-views');
    expect(fs.readFileSync(path.join(checkout, 'views.tsv'), 'utf8').split('\n')[0]).toBe('1\t50');
    // 50 was viewed with 101 (by users 1, 8, ...) and more: its list, best first.
    expect(out).toMatch(/^\d+\t\d+\n/);
  });

  test('serving.md: the file line serves the README\'s result', async () => {
    const line = (SERVING.get('serving-start') ?? '').split('\n')[0];
    const [api, page, health] = await serve(line, 'serving-start (file)', ['/api/related/50?n=100', '/products/50', '/healthz']);
    expect(api.status).toBe(200);
    expect(JSON.parse(api.body).related.length).toBeGreaterThan(0);
    expect(page.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', source: 'file' });
  });

  test('mysql.md: the setup, as the admin, on an empty server', () => {
    for (const name of ['mysql-folders', 'mysql-database', 'mysql-users', 'mysql-trial-views']) expectRuns(MYSQL.get(name) ?? '', name);
    expect(fs.statSync(varLib).mode & 0o777).toBe(0o700);
    for (const f of ['job.cnf', 'web.cnf']) expect(fs.statSync(path.join(etc, f)).mode & 0o777).toBe(0o600);
    expect(Number(db.sql('SELECT COUNT(*) FROM recent_items', 'shop'))).toBe(
      fs.readFileSync(path.join(checkout, 'out', 'demo', 'demo-views.tsv'), 'utf8').trimEnd().split('\n').length - 1,
    );
    // "The job's user can re-apply nothing it cannot": not the schema (ERROR 1142), as the page says.
    const again = run(`mysql --defaults-extra-file=/etc/viewed-products/job.cnf shop < db/schema.sql`, 'schema as the job');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('ERROR 1142');
    // Least grants: no table of its own in shop (its staging tables live in shop_staging), no database whose name the unescaped _ would match.
    const job = (sql: string): { code: number | null; stderr: string } => run(`mysql --defaults-extra-file=/etc/viewed-products/job.cnf shop -e "${sql}"`, sql);
    expect(job('CREATE TABLE shop.viewed_products__new_0badf00d LIKE shop.viewed_products').stderr).toContain('ERROR 1142');
    expect(job('CREATE DATABASE shopXstaging').stderr).toContain('ERROR 1044');
    expect(job('CREATE TABLE shop_staging.t (a INT); DROP TABLE shop_staging.t')).toMatchObject({ code: 0, stderr: '' });
  });

  // Fixed: a mistyped database name left a lock file named after the typo; now the connection comes first.
  test('a mistyped --database: exit 10, a message that says what to check, no lock file', () => {
    const r = run(`./run-job.sh --db-defaults-file /etc/viewed-products/job.cnf --database shpo`, 'mistyped database');
    expect(r.code).toBe(10);
    expect(r.stderr).toMatch(/mysql: ERROR 1044 .*'shpo'/);
    expect(r.stderr).toContain(
      `ERROR: cannot connect to database shpo with ${etc}/job.cnf (the mysql error above says why: check --database and the file's user, password, host or socket); nothing was locked or changed`,
    );
    expect(fs.readdirSync(jobTmp).filter((f) => f.includes('shpo'))).toEqual([]);
  });

  test('mysql.md: the cron line imports ranked lists of at most 100, under the private lock', () => {
    const command = cronCommand(MYSQL.get('mysql-cron') ?? '');
    // As cron starts it: sh, an environment of HOME and TMPDIR only, the line setting PATH itself.
    const script = subs.apply(command, 'mysql-cron');
    const r = spawnSync('sh', ['-c', script], { cwd: home, env: { HOME: home, TMPDIR: jobTmp }, encoding: 'utf8' });
    const log = fs.readFileSync(path.join(varLog, 'job.log'), 'utf8');
    if (r.status !== 0) throw new Error(`the cron line failed (exit ${r.status}):\n${r.stderr}\n${log.slice(-3000)}`);
    expect(log).toContain(`lock: holding ${varLib}/run.lock`);
    const [rows, scored, maxRank, products] = db
      .sql('SELECT COUNT(*), COUNT(score), MAX(list_rank), COUNT(DISTINCT source_product_id) FROM viewed_products', 'shop')
      .trim()
      .split('\t')
      .map(Number);
    // With --top the guard counts products, and the swap's line says which is which (it once read "N rows; previous had M" with M products).
    expect(log).toMatch(new RegExp(`import: swapped in the new viewed_products: ${rows} rows, lists for ${products} products; the previous one had lists for 0 products$`, 'm'));
    expect(rows).toBeGreaterThan(0);
    expect(scored).toBe(rows);
    expect(maxRank).toBe(100);
  });

  test('mysql.md: the cron line with a staging database not made yet: exit 30 before the export, one line with the SQL, which run as the admin makes the next run import', () => {
    const command = `${subs.apply(cronCommand(MYSQL.get('mysql-cron') ?? ''), 'mysql-cron')} --staging-database shop_staging2`;
    const cron = (): { code: number | null; log: string } => {
      const logFile = path.join(varLog, 'job.log');
      const size = fs.statSync(logFile).size;
      const r = spawnSync('sh', ['-c', command], { cwd: home, env: { HOME: home, TMPDIR: jobTmp }, encoding: 'utf8' });
      return { code: r.status, log: fs.readFileSync(logFile, 'utf8').slice(size) };
    };
    const before = db.tableDigest('shop', 'viewed_products');
    const refused = cron();
    expect(refused.code).toBe(30);
    const m = /run-job: ERROR: the staging database shop_staging2 does not exist or viewed_products_job has no grant on it; as the admin, run: (.*); \(docs\/mysql\.md#set-up-once\); nothing was locked or changed\n/.exec(refused.log);
    expect(m?.[1]).toBe("CREATE DATABASE IF NOT EXISTS `shop_staging2`; GRANT SELECT, INSERT, CREATE, DROP, ALTER ON `shop\\_staging2`.* TO 'viewed_products_job'@'localhost'");
    expect(refused.log).not.toMatch(/lock: holding|export/);
    expect(db.tableDigest('shop', 'viewed_products')).toBe(before);
    expectRuns(`mysql --defaults-extra-file=/root/mysql-admin.cnf <<'SQL'\n${m?.[1]};\nSQL`, 'the SQL of the error');
    const next = cron();
    if (next.code !== 0) throw new Error(`the cron line failed after the SQL (exit ${next.code}):\n${next.log.slice(-3000)}`);
    expect(next.log).toMatch(/import: mysqlimport --local of \d+ rows into shop_staging2\.viewed_products__new_[0-9a-f]{8}\n/);
    expect(db.tableDigest('shop', 'viewed_products')).toBe(before);
    expect(db.tables('shop_staging2')).toEqual([]);
  });

  test('serving.md: the table line serves the job\'s lists with the web user', async () => {
    const line = (SERVING.get('serving-start') ?? '').split('\n')[1];
    const source = db.sql('SELECT source_product_id FROM viewed_products WHERE list_rank = 100 LIMIT 1', 'shop').trim();
    const [api, over, health, page] = await serve(line, 'serving-start (mysql)', [
      `/api/related/${source}?n=100`,
      `/api/related/${source}?n=101`,
      '/healthz',
      `/products/${source}?n=50`,
    ]);
    expect(api.status).toBe(200);
    const related = JSON.parse(api.body).related as { score?: number }[];
    expect(related).toHaveLength(100);
    expect(related.every((e) => typeof e.score === 'number')).toBe(true);
    expect(over.status).toBe(400);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', source: 'mysql' });
    // serving.md: a product page shows the list's 12 best, whatever ?n says.
    expect(page.status).toBe(200);
    expect(page.body.match(/<li class="card">/g)).toHaveLength(12);
  });

  test('every substituted path and port occurs in a block', () => {
    expect(subs.unused()).toEqual([]);
  });
});
