/**
 * Two runs against one MariaDB at the same time, as two hosts (or two
 * systemd units with PrivateTmp) would start them: different TMPDIRs and lock
 * files, so only the server's lock can keep them apart. One imports, the
 * other exits 50 before it touches a table; nothing is left behind, and the
 * lock is free once the winner ends. Serial: the runs must overlap.
 *
 * Needs mariadb-server and mariadb-client; skips with a visible reason
 * without them, except under CI=true, where it fails.
 */
import * as path from 'node:path';
import { describeIf } from './helpers/suite';
import { TinyDb } from './helpers/tiny-db';
import { missingMariaDb } from './helpers/tools';

jest.setTimeout(180_000);

describeIf(missingMariaDb(), 'two runs at once against one database', () => {
  let ctx: TinyDb;

  beforeAll(async () => {
    ctx = await TinyDb.create('vp_two_runs');
  });

  afterAll(() => ctx?.remove());

  test('different TMPDIRs and lock files: one run imports, the other exits 50 naming the server lock; the table is the reference; no staging table left', async () => {
    const host = (name: string): Record<string, string> => ({ TMPDIR: ctx.dir(name), VP_LOCK_FILE: path.join(ctx.dir(name), 'job.lock') });
    const [a, b] = await Promise.all([ctx.run([], host('host-a')), ctx.run([], host('host-b'))]);
    expect([a.code, b.code].sort()).toEqual([0, 50]);
    const [winner, loser] = a.code === 0 ? [a, b] : [b, a];
    expect(loser.stderr).toMatch(/another run holds the database lock 'viewed-products\.vp_two_runs' on the server \(connection \d+\); not starting/);
    expect(loser.stderr).not.toMatch(/dropping|import:/);
    expect(winner.stderr).toMatch(/into vp_two_runs\.viewed_products__new\n/);
    expect(ctx.tableText()).toBe(ctx.expected());
    expect(ctx.otherTables()).toEqual([]);
    // The winner's connection ended with it: the lock is free.
    const next = await ctx.run([], host('host-b'));
    expect({ code: next.code, stderr: next.code === 0 ? '' : next.stderr }).toEqual({ code: 0, stderr: '' });
  });
});
