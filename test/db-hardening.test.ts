/**
 * The database layer's guards, on a tiny views file against the run's
 * MariaDB: the clients read exactly the given option file (a ~/.my.cnf cannot
 * change the user); the default lock file lives in a folder private to the
 * user; the swap's RENAME waits a bounded time for a long query on the live
 * table, retries, and gives up with a clear error, the live table untouched.
 *
 * Needs mariadb-server and mariadb-client; skips with a visible reason
 * without them, except under CI=true, where it fails.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeIf } from './helpers/suite';
import { TinyDb } from './helpers/tiny-db';
import { missingMariaDb } from './helpers/tools';

jest.setTimeout(180_000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describeIf(missingMariaDb(), 'database layer guards', () => {
  let ctx: TinyDb;

  beforeAll(async () => {
    ctx = await TinyDb.create('vp_guards');
  });

  afterAll(() => ctx?.remove());

  test('a ~/.my.cnf naming another user changes nothing; the default lock file is in a private folder under ~/.cache', async () => {
    const home = ctx.dir('home');
    fs.writeFileSync(path.join(home, '.my.cnf'), '[client]\nuser=vp_nobody\npassword=wrong\n[mysqlimport]\nuser=vp_nobody\n', { mode: 0o600 });
    const r = await ctx.run([], { HOME: home, XDG_RUNTIME_DIR: '' });
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(ctx.tableText()).toBe(ctx.expected());
    const dir = path.join(home, '.cache', 'viewed-products');
    expect(r.stderr).toContain(`lock: holding ${dir}/vp_guards.lock`);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  test('a lock folder others can write (as another user would pre-create it) is refused: exit 50, nothing run', async () => {
    const home = ctx.dir('home-open');
    fs.mkdirSync(path.join(home, '.cache', 'viewed-products'), { recursive: true });
    fs.chmodSync(path.join(home, '.cache', 'viewed-products'), 0o777);
    const r = await ctx.run([], { HOME: home, XDG_RUNTIME_DIR: '' });
    expect(r.code).toBe(50);
    expect(r.stderr).toMatch(/the lock folder .*viewed-products is not private .*mode 777/);
    expect(r.stderr).not.toMatch(/phase 1/);
  });

  test("the swap's RENAME behind a long transaction on the live table: bounded waits, retried, then exit 30 with the reason; live table untouched, no staging table", async () => {
    const before = ctx.tableText();
    expect(before).not.toBe('');
    // Another session holds the live table's metadata lock (an open transaction that read it) for 120 s (longer than this run takes, even on a loaded machine).
    const blocker = spawn(ctx.db.tools.client, ['--no-defaults', `--socket=${ctx.db.socket}`, '-uroot', ctx.database], { stdio: ['pipe', 'ignore', 'ignore'] });
    blocker.stdin.end('START TRANSACTION; SELECT COUNT(*) FROM viewed_products; SELECT SLEEP(120) AS vp_blocker;\n');
    try {
      for (let i = 0; i < 100 && !ctx.db.sql("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '%AS vp_blocker%' AND INFO NOT LIKE '%PROCESSLIST%'").trim(); i++) await sleep(100);
      const r = await ctx.run(['--force'], { VP_RENAME_LOCK_WAIT: '1', VP_RENAME_TRIES: '2', VP_TEST_VIEWS: '' });
      expect(r.code).toBe(30);
      expect(r.stderr).toMatch(/RENAME TABLE waited 1 s for a lock on viewed_products .*try 2 of 2/);
      expect(r.stderr).toMatch(/ERROR: import: RENAME TABLE could not lock viewed_products in 2 tries of 1 s .*left as it was/);
      expect(ctx.tableText()).toBe(before);
      expect(ctx.otherTables()).toEqual([]);
    } finally {
      const id = ctx.db.sql("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '%AS vp_blocker%' AND INFO NOT LIKE '%PROCESSLIST%'").trim();
      if (id !== '') ctx.db.sql(`KILL ${id}`);
      blocker.kill();
    }
  });

  test('a product id over 255 bytes (the tables\' column) is skipped and counted as a bad view; one of 255 bytes is imported; exit 0', async () => {
    const long = `L${'x'.repeat(255)}`;
    const edge = `E${'y'.repeat(254)}`;
    const views = `a\tp1\na\t${edge}\na\t${long}\nb\tp1\nb\t${edge}\n`;
    const own = await TinyDb.create('vp_long_ids', views);
    try {
      const r = await own.run([]);
      expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(r.stderr).toMatch(/skipped lines +1: .*product id over 255 bytes 1/);
      expect(r.stderr).toMatch(/views\.tsv:3: bad view \(product id over 255 bytes\)/);
      expect(own.tableText()).toBe(own.expected());
      expect(own.tableText()).toBe(`${edge}\tp1\t2\np1\t${edge}\t2\n`);
    } finally {
      own.remove();
    }
  });
});
