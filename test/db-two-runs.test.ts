/**
 * Two runs against one MariaDB at the same time, as two hosts (or two
 * systemd units with PrivateTmp) would start them: different TMPDIRs and lock
 * files, so only the server's lock can keep them apart. One imports, the
 * other exits 50 before it touches a table; nothing is left behind, and the
 * lock is free once the winner ends. Staging tables are named per run (in the
 * staging database), and a leftover of another run is dropped only once that
 * run's own server lock is free: a run can never drop another run's staging
 * table.
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

const STAGING = 'vp_two_runs_staging';

/** The run id in a run's log: its lock line and its staging table must name the same one. */
function runId(stderr: string): string {
  const lock = /lock: holding the database lock 'viewed-products\.vp_two_runs' on the server \(run ([0-9a-f]{8})\)\n/.exec(stderr);
  const into = new RegExp(`into ${STAGING}\\.viewed_products__new_([0-9a-f]{8})\\n`).exec(stderr);
  expect([lock?.[1], into?.[1]]).toEqual([expect.stringMatching(/^[0-9a-f]{8}$/), lock?.[1]]);
  return lock?.[1] ?? '';
}

describeIf(missingMariaDb(), 'two runs at once against one database', () => {
  let ctx: TinyDb;

  beforeAll(async () => {
    ctx = await TinyDb.create('vp_two_runs');
  });

  afterAll(() => ctx?.remove());

  test('different TMPDIRs and lock files: one run imports, the other exits 50 naming the server lock; the table is the reference; no staging table left; the next run stages under another name', async () => {
    const host = (name: string): Record<string, string> => ({ TMPDIR: ctx.dir(name), VP_LOCK_FILE: path.join(ctx.dir(name), 'job.lock') });
    // The tasks start 3 s late: the first run holds the lock that long, so the two overlap even on a loaded machine.
    const slow = path.join(ctx.dir('node'), 'node-slow');
    fs.writeFileSync(slow, `#!/bin/sh\nsleep 3\nexec '${process.execPath}' "$@"\n`, { mode: 0o755 });
    const both = ['--node', slow];
    const [a, b] = await Promise.all([ctx.run(both, host('host-a')), ctx.run(both, host('host-b'))]);
    expect([a.code, b.code].sort()).toEqual([0, 50]);
    const [winner, loser] = a.code === 0 ? [a, b] : [b, a];
    expect(loser.stderr).toMatch(/another run holds the database lock 'viewed-products\.vp_two_runs' on the server \(connection \d+\); not starting/);
    expect(loser.stderr).not.toMatch(/dropping|keeping|import:/);
    const first = runId(winner.stderr);
    expect(ctx.tableText()).toBe(ctx.expected());
    expect(ctx.otherTables()).toEqual([]);
    // The winner's connection ended with it: the lock is free.
    const next = await ctx.run([], host('host-b'));
    expect({ code: next.code, stderr: next.code === 0 ? '' : next.stderr }).toEqual({ code: 0, stderr: '' });
    expect(runId(next.stderr)).not.toBe(first);
  });

  test("another run's staging table survives while that run holds its lock; a leftover whose run is gone is dropped, and so is the first once its run ends", async () => {
    // A run of another database sharing this staging database (--staging-database), mid-import: its table, its lock.
    const live = `${STAGING}.viewed_products__new_deadbeef`;
    const dead = `${STAGING}.viewed_products__old_0badf00d`;
    ctx.db.sql(`CREATE TABLE ${live} LIKE vp_two_runs.viewed_products; INSERT INTO ${live} (source_product_id, target_product_id, count, list_rank) VALUES ('x', 'y', 1, 1); CREATE TABLE ${dead} LIKE vp_two_runs.viewed_products`);
    const holder = spawn(ctx.db.tools.client, ['--no-defaults', `--socket=${ctx.db.socket}`, '-uroot', '--batch', '--skip-column-names', '--unbuffered'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const ended = new Promise<void>((r) => holder.on('exit', () => r()));
    try {
      const got = new Promise<string>((r) => holder.stdout.once('data', (d: Buffer) => r(d.toString())));
      holder.stdin.write("SELECT GET_LOCK('viewed-products.run.deadbeef', 0);\n");
      expect(await got).toBe('1\n');
      const r = await ctx.run([]);
      expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(r.stderr).toContain(`keeping ${live}: its run still holds its lock\n`);
      expect(r.stderr).toContain(`dropping ${dead}, left behind by an interrupted run\n`);
      expect(ctx.otherTables()).toEqual([live]);
      expect(ctx.db.sql(`SELECT source_product_id, target_product_id, count FROM ${live}`)).toBe('x\ty\t1\n');
      expect(ctx.tableText()).toBe(ctx.expected());
    } finally {
      holder.stdin.end();
      await ended;
    }
    // Its connection ended (a killed run's does): now it is a leftover.
    const after = await ctx.run([]);
    expect({ code: after.code, stderr: after.code === 0 ? '' : after.stderr }).toEqual({ code: 0, stderr: '' });
    expect(after.stderr).toContain(`dropping ${live}, left behind by an interrupted run\n`);
    expect(ctx.otherTables()).toEqual([]);
  });
});
