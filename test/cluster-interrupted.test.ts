/**
 * A run on the YARN test cluster (test/helpers/cluster.ts) interrupted by
 * SIGTERM while a phase runs: the run kills its YARN application (id from
 * the client's log) before it removes its HDFS folder, which was private
 * (mode 700) while it ran. The task is held by a --node wrapper that notes
 * its container and waits, so the signal comes while the application runs.
 *
 * Needs java and mvn; skips with a visible reason without them, except under
 * CI=true, where it fails.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharedCluster } from './helpers/cluster';
import { ROOT, sh, tmpDir } from './helpers/exec';
import { describeIf } from './helpers/suite';
import { missingCluster } from './helpers/tools';

const SLOW = 900_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describeIf(missingCluster(), 'an interrupted run on the YARN cluster', () => {
  let dir = '';
  let conf = '';

  beforeAll(async () => {
    dir = tmpDir('vp-cluster-int-');
    conf = await sharedCluster();
  }, SLOW);

  afterAll(() => {
    if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  });

  const hadoop = (args: string): ReturnType<typeof sh> => sh(`tools/hadoop/hadoop-streaming ${args}`, { HADOOP_CONF_DIR: conf, VP_HADOOP: 'pinned' });

  test('SIGTERM during phase 1: exit 143, the YARN application KILLED, the HDFS folder (mode 700 while it ran) removed', async () => {
    const views = path.join(dir, 'views.tsv');
    fs.writeFileSync(views, 'p1\ta\np1\tb\np2\ta\np2\tb\np2\tc\n');
    const started = path.join(dir, 'started');
    // Phase 1's reducer notes its container, then waits (60 s: a run that does not kill it still ends).
    const node = path.join(dir, 'node-slow');
    fs.writeFileSync(node, `#!/bin/sh\nif [ "$1" = pairs-reducer.js ]; then echo "$CONTAINER_ID" >>'${started}'; sleep 60; fi\nexec '${process.execPath}' "$@"\n`, { mode: 0o755 });
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp);
    const child = spawn(
      path.join(ROOT, 'run-job.sh'),
      ['--runner', 'hadoop', '--hadoop-conf', conf, '--input', views, '--output', path.join(dir, 'out'), '--reducers', '1', '--node', node],
      { cwd: ROOT, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    for (let i = 0; i < 1200 && !fs.existsSync(started); i++) await sleep(250);
    expect(fs.existsSync(started)).toBe(true);
    const container = fs.readFileSync(started, 'utf8').trim().split('\n')[0];
    const app = container.replace(/^container_(?:e\d+_)?(\d+_\d+)_.*$/, 'application_$1');
    expect(app).toMatch(/^application_\d+_\d+$/);
    const runDir = /input uploaded to hdfs:\/\/[^/]+(\/\S+)\/input$/m.exec(stderr)?.[1] ?? '';
    expect(runDir).toMatch(/\/run-/);
    expect(hadoop(`--fs -stat %a '${runDir}'`).stdout.trim()).toBe('700');
    child.kill('SIGTERM');
    expect(await done).toBe(143);
    expect(stderr).toContain(`killed YARN application ${app}`);
    expect(stderr.indexOf(`killed YARN application ${app}`)).toBeLessThan(stderr.indexOf('HDFS work directory removed'));
    expect(hadoop(`--yarn application -status ${app}`).stdout).toMatch(/Final-State : KILLED/);
    expect(hadoop(`--fs -test -e '${runDir}'`).code).not.toBe(0);
  }, SLOW);
});
