/**
 * The production job against a real, private MariaDB server: export, both
 * phases, mysqlimport into a staging table, checks, atomic swap; and that
 * failures, kills, an empty export and a second concurrent run never touch
 * the live table nor leave a staging table behind, and that the password
 * never shows in any command line, child environment or the log.
 *
 * Needs mariadb-server and mariadb-client; skips with a visible reason
 * without them, except under CI=true, where it fails.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataViews, ROOT, sh, tmpDir } from './helpers/exec';
import { findMariaDb, JobUser, MariaDb } from './helpers/mariadb';
import { referenceImportFile, referenceJob } from './helpers/reference';

const CI = process.env.CI === 'true';
const tools = findMariaDb();
const missing = typeof tools === 'string' ? tools : null;
const DB = 'vp_test';
const STAGING = /__(new|old)$/;

jest.setTimeout(300_000);

interface JobResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

interface Job {
  child: ChildProcess;
  mark: string;
  done: Promise<JobResult>;
}

let db: MariaDb;
let job: JobUser;
let work: string;
let expectedFile: string;

function jobTmp(): string {
  const dir = path.join(work, 'tmp');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The job's environment: ours minus any VP_* / MYSQL_PWD, plus a marker to find its processes. */
function jobEnv(extra: Record<string, string>, mark: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VP_') && k !== 'MYSQL_PWD') env[k] = v;
  // TMPDIR in the suite's folder: a killed run cannot remove its work folder, afterAll does.
  return { ...env, TMPDIR: jobTmp(), VP_LOCK_FILE: path.join(work, 'job.lock'), VP_TEST_MARK: mark, ...extra };
}

/** Starts ./run-job.sh in its own process group; onStderr sees the stderr so far. */
function startJob(args: string[], extraEnv: Record<string, string> = {}, onStderr?: (text: string, child: ChildProcess) => void): Job {
  const mark = randomBytes(8).toString('hex');
  const child = spawn(path.join(ROOT, 'run-job.sh'), args, {
    cwd: ROOT,
    env: jobEnv(extraEnv, mark),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const done = new Promise<JobResult>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, mark, done };
}

/**
 * Runs ./run-job.sh on a pseudo-terminal (util-linux `script`), as a person
 * would; types `answer` once the job asks. stderr = everything the terminal showed.
 */
function runInTerminal(args: string[], answer: string): Promise<JobResult> {
  const quote = (a: string): string => `'${a.replace(/'/g, "'\\''")}'`;
  const command = ['./run-job.sh', ...args].map(quote).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: ROOT,
    env: jobEnv({}, randomBytes(8).toString('hex')),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let typed = false;
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer): void => {
      out += d.toString('utf8');
      if (!typed && /\[y\/n\]: /.test(out)) {
        typed = true;
        child.stdin!.write(answer);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      child.stdin!.destroy();
      resolve({ code, signal, stderr: out.replace(/\r\n/g, '\n') });
    });
  });
}

function dbArgs(...more: string[]): string[] {
  return ['--db-defaults-file', job.optionFile, '--database', DB, ...more];
}

function runJob(args: string[], extraEnv: Record<string, string> = {}): Promise<JobResult> {
  return startJob(args, extraEnv).done;
}

function liveDigest(table = 'viewed_products'): string {
  return db.tableDigest(DB, table);
}

function leftoverTables(): string[] {
  return db.tables(DB).filter((t) => STAGING.test(t));
}

function facts(table = 'viewed_products'): { rows: number; sum: number } {
  const [rows, sum] = db.sql(`SELECT COUNT(*), COALESCE(SUM(count), 0) FROM \`${table}\``, DB).trim().split('\t').map(Number);
  return { rows, sum };
}

/** Pids of live processes whose environment holds VP_TEST_MARK=mark. */
function processesMarked(mark: string): number[] {
  const needle = Buffer.from(`VP_TEST_MARK=${mark}\0`);
  const out: number[] = [];
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const env = fs.readFileSync(`/proc/${pid}/environ`);
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
      if (env.includes(needle) && !/^\d+ \(.*\) Z/.test(stat)) out.push(Number(pid));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

async function noProcessesLeft(mark: string): Promise<number[]> {
  for (let i = 0; i < 50; i++) {
    const left = processesMarked(mark);
    if (left.length === 0) return [];
    await new Promise((r) => setTimeout(r, 100));
  }
  return processesMarked(mark);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Watches every process's command line and environment for a secret while a run is going. */
function watchProcs(secret: string): { stop: () => Promise<{ leaks: string[]; seen: Set<string>; scans: number }> } {
  const needle = Buffer.from(secret);
  const leaks: string[] = [];
  const seen = new Set<string>();
  let scans = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const pid of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        try {
          const cmd = fs.readFileSync(`/proc/${pid}/cmdline`);
          const words = cmd.toString('latin1').split('\0');
          for (const w of words.slice(0, 2)) seen.add(path.basename(w));
          if (cmd.includes(needle)) leaks.push(`cmdline of ${pid}: ${words.join(' ')}`);
          const env = fs.readFileSync(`/proc/${pid}/environ`);
          if (env.includes(needle)) leaks.push(`environment of ${pid}: ${words.join(' ')}`);
        } catch {
          // gone
        }
      }
      scans++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { leaks, seen, scans };
    },
  };
}

function expectUntouched(before: string, result: JobResult, code: number): void {
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code, stderr: expect.any(String) });
  expect(liveDigest()).toBe(before);
  expect(leftoverTables()).toEqual([]);
}

/** The job's result file for the same views, sorted, as mysql --batch prints the table. */
function tableText(table = 'viewed_products'): string {
  return db.sql(`SELECT source_product_id, target_product_id, count FROM \`${table}\` ORDER BY 1, 2`, DB);
}

const describeDb = missing !== null && !CI ? describe.skip : describe;
if (missing !== null && !CI) {
  // Straight to stderr: jest drops the console output of a suite whose tests all skip.
  process.stderr.write(`SKIPPED db.test.ts (production job against MariaDB): ${missing}\n`);
}

describeDb(`production job against a private MariaDB${missing !== null && !CI ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    if (typeof tools === 'string') throw new Error(`CI=true and MariaDB cannot run: ${tools}`);
    work = tmpDir('vp-db-test-');
    db = await MariaDb.start(tools);
    job = db.createJobUser(DB);
    db.sql(fs.readFileSync(path.join(ROOT, 'db', 'schema.sql'), 'utf8'), DB);
    const views = dataViews('movielens', work);
    db.sql(`LOAD DATA LOCAL INFILE '${views}' INTO TABLE recent_items (path_id, product_id)`, DB);
    // The reference result: the same views through the local runner, no database.
    const r = sh(`./run-job.sh --input '${views}' --output '${work}/expected' --reducers 1`);
    if (r.code !== 0) throw new Error(r.stderr);
    expectedFile = path.join(work, 'expected', 'viewed_products.tsv');
  });

  afterAll(async () => {
    await db?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('schema.sql is idempotent and loading gave every view', () => {
    db.sql(fs.readFileSync(path.join(ROOT, 'db', 'schema.sql'), 'utf8'), DB);
    expect(db.tables(DB)).toEqual(['recent_items', 'viewed_products']);
    expect(db.sql('SELECT COUNT(*) FROM recent_items', DB).trim()).toBe('100000');
  });

  test('bad table and database names are refused before anything runs (exit 2)', async () => {
    for (const args of [
      dbArgs('--table', 'viewed_products`; DROP TABLE recent_items; --'),
      ['--db-defaults-file', job.optionFile, '--database', 'vp test'],
      dbArgs('--views-table', 'a-b'),
      dbArgs('--min-share', '2'),
      ['--database', DB],
    ]) {
      const r = await runJob(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
    }
    expect(db.tables(DB)).toEqual(['recent_items', 'viewed_products']);
  });

  test('a full run gives exactly the expected table, and the password is never on a command line, in an environment or in the log', async () => {
    const logFile = path.join(work, 'full.log');
    const watch = watchProcs(job.password);
    const r = await runJob([...dbArgs('--log', logFile)]);
    const { leaks, seen, scans } = await watch.stop();
    const log = fs.readFileSync(logFile, 'utf8');
    expect({ code: r.code, log: r.code === 0 ? '' : log }).toEqual({ code: 0, log: '' });
    expect(facts()).toEqual({ rows: 1_966_412, sum: 20_100_812 });
    expect(tableText()).toBe(fs.readFileSync(expectedFile, 'latin1'));
    expect(leftoverTables()).toEqual([]);
    // The watcher really saw the run's processes while they ran.
    expect(scans).toBeGreaterThan(10);
    expect(seen.has('mysqlimport')).toBe(true);
    expect(seen.has('pairs-reducer.js')).toBe(true);
    expect(leaks).toEqual([]);
    expect(log.includes(job.password)).toBe(false);
    expect(r.stderr.includes(job.password)).toBe(false);
    expect(log).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ run-job: export: 100000 rows/m);
    expect(log).toMatch(/import: swapped in the new viewed_products \(1966412 rows/);
  });

  test('mysqlimport refused by the server: exit 30, live table byte-identical, no staging table', async () => {
    const before = liveDigest();
    db.sql('SET GLOBAL local_infile = 0');
    try {
      const r = await runJob(dbArgs());
      expectUntouched(before, r, 30);
      expect(r.stderr).toMatch(/mysqlimport failed/);
    } finally {
      db.sql('SET GLOBAL local_infile = 1');
    }
  });

  test('mysqlimport failing after it loaded the rows: exit 30, live table byte-identical, no staging table', async () => {
    const before = liveDigest();
    const bin = path.join(work, 'failing-bin');
    fs.mkdirSync(bin, { recursive: true });
    const real = sh('command -v mysqlimport').stdout.trim();
    fs.writeFileSync(
      path.join(bin, 'mysqlimport'),
      `#!/bin/sh\n'${real}' "$@" || exit\necho 'mysqlimport: simulated failure after loading' >&2\nexit 7\n`,
      { mode: 0o755 },
    );
    const r = await runJob(dbArgs(), { PATH: `${bin}:${process.env.PATH}` });
    expectUntouched(before, r, 30);
    expect(r.stderr).toMatch(/simulated failure after loading/);
    expect(r.stderr).toMatch(/cleanup: dropped viewed_products__new/);
  });

  test('an empty export: the shrink guard refuses (exit 40), live table byte-identical, no staging table', async () => {
    const before = liveDigest();
    db.sql('CREATE TABLE IF NOT EXISTS views_empty LIKE recent_items', DB);
    const r = await runJob(dbArgs('--views-table', 'views_empty'));
    expectUntouched(before, r, 40);
    expect(r.stderr).toMatch(/shrink guard: the new result is empty/);
    db.sql('DROP TABLE views_empty', DB);
  });

  test('an export that holds no views (empty path ids): exit 60 names the export, not its deleted file; live table byte-identical', async () => {
    const before = liveDigest();
    db.sql("CREATE TABLE views_blank LIKE recent_items; INSERT INTO views_blank (path_id, product_id) VALUES ('', 'a'), ('', 'b')", DB);
    const r = await runJob(dbArgs('--views-table', 'views_blank'));
    expectUntouched(before, r, 60);
    expect(r.stderr).toContain(`ERROR: no valid views in the export of ${DB}.views_blank (2 of 2 lines skipped: empty field 2)`);
    expect(r.stderr).toContain(`identity-mapper: the export of ${DB}.views_blank:1: bad view (empty field): "\\ta"`);
    expect(r.stderr).not.toContain('views.tsv');
    db.sql('DROP TABLE views_blank', DB);
  });

  test('shrink guard: a much smaller result is refused (exit 40) unless --force; an option file others can read gets a warning', async () => {
    db.sql("CREATE TABLE views_small LIKE recent_items; INSERT INTO views_small SELECT * FROM recent_items WHERE path_id IN ('1', '2', '3')", DB);
    const before = liveDigest();
    const open = path.join(work, 'open.cnf');
    fs.copyFileSync(job.optionFile, open);
    fs.chmodSync(open, 0o644);
    const refused = await runJob(['--db-defaults-file', open, '--database', DB, '--views-table', 'views_small']);
    expectUntouched(before, refused, 40);
    expect(refused.stderr).toMatch(/WARNING: .*open\.cnf is accessible by group\/others \(mode 644\)/);
    expect(refused.stderr).toMatch(/shrink guard: the new result has \d+ rows, less than 0.5 of the live table's 1966412/);
    // In a terminal it asks instead (dist/confirm.js, readline-sync on the tty): "n" keeps the table ...
    const no = await runInTerminal(dbArgs('--views-table', 'views_small'), 'n');
    expectUntouched(before, no, 40);
    expect(no.stderr).toMatch(/Replace vp_test\.viewed_products anyway\? \[y\/n\]: n/);
    expect(no.stderr).toMatch(/not confirmed, viewed_products left as it was/);
    // ... and "y" imports.
    const yes = await runInTerminal(dbArgs('--views-table', 'views_small'), 'y');
    expect({ code: yes.code, stderr: yes.code === 0 ? '' : yes.stderr }).toEqual({ code: 0, stderr: '' });
    expect(yes.stderr).toMatch(/confirmed on the terminal; importing/);
    const small = facts();
    expect(small.rows).toBeGreaterThan(0);
    expect(small.rows).toBeLessThan(1_966_412 / 2);
    // Settings through the environment, with --force's equivalent: two users' views, smaller again.
    db.sql("CREATE TABLE views_smaller LIKE recent_items; INSERT INTO views_smaller SELECT * FROM recent_items WHERE path_id IN ('2', '3')", DB);
    const forced = await runJob([], { VP_DB_DEFAULTS_FILE: job.optionFile, VP_DATABASE: DB, VP_VIEWS_TABLE: 'views_smaller', VP_FORCE: '1' });
    expect({ code: forced.code, stderr: forced.code === 0 ? '' : forced.stderr }).toEqual({ code: 0, stderr: '' });
    expect(forced.stderr).toMatch(/shrink guard: the new result has \d+ rows, less than 0.5 of the live table's \d+; importing anyway \(--force\)/);
    expect(facts().rows).toBeLessThan(small.rows / 2);
    expect(facts().rows).toBeGreaterThan(0);
    expect(leftoverTables()).toEqual([]);
    db.sql('DROP TABLE views_small; DROP TABLE views_smaller', DB);
  });

  test('SIGTERM during phase 2: exit 143, live table byte-identical, no staging table, no process of the run left', async () => {
    const before = liveDigest();
    let sent = false;
    const run = startJob(dbArgs(), {}, (text, child) => {
      if (!sent && text.includes('phase 2: sort + reduce')) {
        sent = true;
        child.kill('SIGTERM');
      }
    });
    const r = await run.done;
    expect(sent).toBe(true);
    expectUntouched(before, r, 143);
    expect(await noProcessesLeft(run.mark)).toEqual([]);
  });

  test('SIGKILL of the whole run during phase 1 (started right after the SIGTERM: the lock is free): live table byte-identical, no staging table', async () => {
    const before = liveDigest();
    let sent = false;
    const run = startJob(dbArgs(), {}, (text, child) => {
      if (!sent && text.includes('phase 1: sort + reduce')) {
        sent = true;
        killGroup(child, 'SIGKILL');
      }
    });
    const r = await run.done;
    expect(sent).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(liveDigest()).toBe(before);
    expect(leftoverTables()).toEqual([]);
    // Its work folder stays (no trap runs on SIGKILL), in the suite's TMPDIR that afterAll removes.
    expect(fs.readdirSync(jobTmp()).filter((n) => n.startsWith('viewed-products.')).length).toBeGreaterThan(0);
  });

  test('SIGTERM during mysqlimport: exit 143, the trap drops the staging table, live table byte-identical', async () => {
    const before = liveDigest();
    let sent = false;
    const run = startJob(dbArgs(), {}, (text, child) => {
      if (!sent && text.includes('import: mysqlimport --local')) {
        sent = true;
        setTimeout(() => child.kill('SIGTERM'), 300);
      }
    });
    const r = await run.done;
    expect(sent).toBe(true);
    expectUntouched(before, r, 143);
    expect(r.stderr).toMatch(/cleanup: dropped viewed_products__new/);
    expect(r.stderr).not.toMatch(/swapped in/);
    expect(await noProcessesLeft(run.mark)).toEqual([]);
  });

  test('SIGKILL of the whole run during mysqlimport: live table byte-identical; the next run drops the leftover staging table and succeeds', async () => {
    const before = liveDigest();
    let sent = false;
    const run = startJob(dbArgs(), {}, (text, child) => {
      if (!sent && text.includes('import: mysqlimport --local')) {
        sent = true;
        setTimeout(() => killGroup(child, 'SIGKILL'), 300);
      }
    });
    const r = await run.done;
    expect(sent).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(liveDigest()).toBe(before);
    expect(leftoverTables()).toEqual(['viewed_products__new']);
    const next = await runJob(dbArgs());
    expect({ code: next.code, stderr: next.code === 0 ? '' : next.stderr }).toEqual({ code: 0, stderr: '' });
    expect(next.stderr).toMatch(/dropping viewed_products__new, left behind by an interrupted run/);
    expect(leftoverTables()).toEqual([]);
    expect(tableText()).toBe(fs.readFileSync(expectedFile, 'latin1'));
  });

  test('two runs started together: one runs, the other exits 50 with the lock message', async () => {
    const before = liveDigest();
    const [a, b] = await Promise.all([runJob(dbArgs()), runJob(dbArgs())]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 50]);
    const loser = a.code === 50 ? a : b;
    expect(loser.stderr).toMatch(/another run holds the lock .*job\.lock \(pid \d+\); not starting/);
    expect(loser.stderr).not.toMatch(/export:/);
    expect(liveDigest()).toBe(before);
    expect(leftoverTables()).toEqual([]);
  });

  test('with a database, --output DIR skips the import and --input FILE skips the export', async () => {
    const before = liveDigest();
    const out = path.join(work, 'export-only');
    const exported = await runJob(dbArgs('--output', out));
    expect({ code: exported.code, stderr: exported.code === 0 ? '' : exported.stderr }).toEqual({ code: 0, stderr: '' });
    expect(exported.stderr).toMatch(/export: 100000 rows/);
    expect(exported.stderr).not.toMatch(/import:/);
    expect(fs.readFileSync(path.join(out, 'viewed_products.tsv'), 'latin1')).toBe(fs.readFileSync(expectedFile, 'latin1'));
    expect(liveDigest()).toBe(before);
    // Import only: a views file of three users into a new table, checked against the reference job.
    const lines = fs
      .readFileSync(dataViews('movielens', work), 'latin1')
      .split('\n')
      .filter((l) => /^(1|2|3)\t/.test(l));
    const small = path.join(work, 'three-users.tsv');
    fs.writeFileSync(small, lines.map((l) => `${l}\n`).join(''), 'latin1');
    const imported = await runJob(dbArgs('--input', small, '--table', 'vp_input'));
    expect({ code: imported.code, stderr: imported.code === 0 ? '' : imported.stderr }).toEqual({ code: 0, stderr: '' });
    expect(imported.stderr).not.toMatch(/export:/);
    expect(tableText('vp_input')).toBe(referenceImportFile(referenceJob(lines)));
    expect(liveDigest()).toBe(before);
    db.sql('DROP TABLE vp_input', DB);
  });

  test('ids stay opaque bytes through export, job and import (007 vs 7, case, trailing space, TAB, backslash, non-UTF-8)', async () => {
    const products = ['007', '7', '7 ', '85123A', '85123a', 'a\tb', 'back\\slash', '\xffA', '18446744073709551617'];
    const paths: Record<string, string[]> = { p1: products, p2: ['007', '7', '7'], 'p\t3': ['85123A', '85123a'] };
    const hex = (s: string): string => Buffer.from(s, 'latin1').toString('hex');
    const values: string[] = [];
    for (const [p, ps] of Object.entries(paths)) for (const x of ps) values.push(`(X'${hex(p)}', X'${hex(x)}')`);
    db.sql(`CREATE TABLE views_ids LIKE recent_items; INSERT INTO views_ids (path_id, product_id) VALUES ${values.join(', ')}`, DB);
    const expected = new Map<string, number>();
    for (const ps of Object.values(paths)) {
      const set = [...new Set(ps)];
      for (const a of set) for (const b of set) if (a !== b) expected.set(`${hex(a)} ${hex(b)}`, (expected.get(`${hex(a)} ${hex(b)}`) ?? 0) + 1);
    }
    // A result table that does not exist yet is created by the first run.
    const r = await runJob(dbArgs('--views-table', 'views_ids', '--table', 'vp_ids'));
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    const got = db
      .sql('SELECT HEX(source_product_id), HEX(target_product_id), count FROM vp_ids', DB)
      .trim()
      .split('\n')
      .map((l) => l.split('\t'))
      .map(([s, t, c]) => [`${s.toLowerCase()} ${t.toLowerCase()}`, Number(c)] as const);
    expect(new Map(got)).toEqual(expected);
    expect(got.length).toBe(expected.size);
    // Created from db/schema.sql's definition of the result table.
    const createOf = (t: string): string =>
      db.sql(`SHOW CREATE TABLE \`${t}\``, DB).slice(t.length + 1).replace(`\`${t}\``, '`T`');
    expect(createOf('vp_ids')).toBe(createOf('viewed_products'));
    db.sql('DROP TABLE views_ids; DROP TABLE vp_ids', DB);
  });

  test("ops/top-products.sh prints a product's list, top n by weight", () => {
    const r = sh(`ops/top-products.sh --db-defaults-file '${job.optionFile}' --database ${DB} --top 5 50 "1'; DROP TABLE x; --" 100`);
    // The odd id is not in the table: named on stderr, exit 3, the others' lists printed.
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`top-products: product "1'; DROP TABLE x; --" is not in viewed_products\n`);
    // The same from the expected file: per source, highest count first, ties by target bytes.
    const rows = fs
      .readFileSync(expectedFile, 'latin1')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));
    const want = ['50', '100']
      .flatMap((p) =>
        rows
          .filter(([src]) => src === p)
          .sort((x, y) => Number(y[2]) - Number(x[2]) || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0))
          .slice(0, 5),
      )
      .map((f) => `${f.join('\t')}\n`)
      .join('');
    expect(r.stdout).toBe(want);
    expect(r.stdout.split('\n').filter((l) => l !== '')).toHaveLength(10);
    const bad = sh(`ops/top-products.sh --db-defaults-file '${job.optionFile}' --database ${DB} --top 0 50`);
    expect(bad.code).toBe(2);
    const known = sh(`ops/top-products.sh --db-defaults-file '${job.optionFile}' --database ${DB} --top 2 50`);
    expect([known.code, known.stderr, known.stdout.split('\n').filter((l) => l !== '')]).toEqual([0, '', want.split('\n').slice(0, 2)]);
  });

  test('ops/top-products.sh: an unknown product says so on stderr and exits 3', () => {
    const r = sh(`ops/top-products.sh --db-defaults-file '${job.optionFile}' --database ${DB} 'no-such-product' 50x`);
    expect([r.code, r.stdout]).toEqual([3, '']);
    expect(r.stderr).toBe(
      'top-products: product "no-such-product" is not in viewed_products\n' + 'top-products: product "50x" is not in viewed_products\n',
    );
    expect(sh('ops/top-products.sh --help').stdout).toMatch(/3 a product is not in the\s+table/);
  });
});
