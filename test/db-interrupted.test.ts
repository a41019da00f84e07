/**
 * The production job against a private MariaDB (a server of this suite's own:
 * the server-wide setting below must not hit other suites' imports),
 * interrupted: SIGTERM and SIGKILL in each stage, a server that refuses
 * mysqlimport, two runs started together. Never a changed live table, a
 * staging table left behind, or a process of the run left running. Kills are
 * timed by the run's log lines, so they hold under load.
 *
 * Needs mariadb-server and mariadb-client; skips with a visible reason
 * without them, except under CI=true, where it fails.
 */
import * as fs from 'node:fs';
import { DbJob } from './helpers/db-job';
import { noProcessesLeft } from './helpers/procs';
import { describeIf } from './helpers/suite';
import { missingMariaDb } from './helpers/tools';

jest.setTimeout(300_000);

describeIf(missingMariaDb(), 'interrupted production job against MariaDB', () => {
  let ctx: DbJob;

  beforeAll(async () => {
    ctx = await DbJob.create('vp_interrupted', 'movielens', 'own');
  });

  afterAll(() => ctx?.remove());

  // First, on the empty live table: it leaves the full result there for the tests after it.
  test('SIGKILL of the whole run during mysqlimport: live table byte-identical; the next run drops the leftover staging table and succeeds', async () => {
    const before = ctx.liveDigest();
    const { result: r, sent } = await ctx.interruptJob('import: mysqlimport --local', 'SIGKILL', 'group', 300);
    expect(sent).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(ctx.liveDigest()).toBe(before);
    const [leftover] = ctx.leftoverTables();
    expect(ctx.leftoverTables()).toEqual([expect.stringMatching(/^vp_interrupted_staging\.viewed_products__new_[0-9a-f]{8}$/)]);
    const next = await ctx.runJob(ctx.dbArgs());
    expect({ code: next.code, stderr: next.code === 0 ? '' : next.stderr }).toEqual({ code: 0, stderr: '' });
    expect(next.stderr).toContain(`dropping ${leftover}, left behind by an interrupted run`);
    expect(ctx.leftoverTables()).toEqual([]);
    expect(ctx.tableText()).toBe(fs.readFileSync(ctx.expectedFile, 'latin1'));
  });

  test('mysqlimport refused by the server: exit 30, live table byte-identical, no staging table', async () => {
    const before = ctx.liveDigest();
    ctx.db.sql('SET GLOBAL local_infile = 0');
    try {
      const r = await ctx.runJob(ctx.dbArgs());
      ctx.expectUntouched(before, r, 30);
      expect(r.stderr).toMatch(/mysqlimport failed/);
    } finally {
      ctx.db.sql('SET GLOBAL local_infile = 1');
    }
  });

  test('SIGTERM during phase 2: exit 143, live table byte-identical, no staging table, no process of the run left', async () => {
    const before = ctx.liveDigest();
    const { result: r, sent, mark } = await ctx.interruptJob('phase 2: sort + reduce', 'SIGTERM', 'script');
    expect(sent).toBe(true);
    ctx.expectUntouched(before, r, 143);
    expect(await noProcessesLeft(mark)).toEqual([]);
  });

  test('SIGKILL of the whole run during phase 1 (started right after the SIGTERM: the lock is free): live table byte-identical, no staging table', async () => {
    const before = ctx.liveDigest();
    const { result: r, sent } = await ctx.interruptJob('phase 1: sort + reduce', 'SIGKILL', 'group');
    expect(sent).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(ctx.liveDigest()).toBe(before);
    expect(ctx.leftoverTables()).toEqual([]);
    // Its work folder stays (no trap runs on SIGKILL), in the suite's TMPDIR that afterAll removes.
    expect(fs.readdirSync(ctx.jobTmp()).filter((n) => n.startsWith('viewed-products.')).length).toBeGreaterThan(0);
  });

  test('SIGTERM during mysqlimport: exit 143, the trap drops the staging table, live table byte-identical', async () => {
    const before = ctx.liveDigest();
    const { result: r, sent, mark } = await ctx.interruptJob('import: mysqlimport --local', 'SIGTERM', 'script', 300);
    expect(sent).toBe(true);
    ctx.expectUntouched(before, r, 143);
    expect(r.stderr).toMatch(/cleanup: dropped vp_interrupted_staging\.viewed_products__new_[0-9a-f]{8}\n/);
    expect(r.stderr).not.toMatch(/swapped in/);
    expect(await noProcessesLeft(mark)).toEqual([]);
  });

  test('two runs started together: one runs, the other exits 50 with the lock message', async () => {
    const before = ctx.liveDigest();
    const [a, b] = await Promise.all([ctx.runJob(ctx.dbArgs()), ctx.runJob(ctx.dbArgs())]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 50]);
    const loser = a.code === 50 ? a : b;
    expect(loser.stderr).toMatch(/another run holds the lock .*job\.lock \(pid \d+\); not starting/);
    expect(loser.stderr).not.toMatch(/export:/);
    expect(ctx.liveDigest()).toBe(before);
    expect(ctx.leftoverTables()).toEqual([]);
  });
});
