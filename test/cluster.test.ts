/**
 * The job on a real multi-process Hadoop cluster: `npm run cluster:up` (Hadoop's
 * MiniCluster: HDFS and YARN, task containers as separate processes), then
 * `./run-job.sh --runner hadoop --hadoop-conf DIR` against it on the Diginetica
 * sample, compared byte for byte with the local runner and the reference; a
 * reducer that fails every attempt, and reducers that fail their first attempt. The cluster is started once per jest run (or an
 * already running one is used) and stopped by the run's teardown when the run
 * started it (test/helpers/cluster.ts).
 *
 * Needs java and mvn; skips with a visible reason without them, except under
 * CI=true, where it fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLUSTER, sharedCluster } from './helpers/cluster';
import { dataViews, facts, sh, tmpDir } from './helpers/exec';
import { referenceImportFile, referenceJob } from './helpers/reference';
import { describeIf } from './helpers/suite';
import { missingCluster } from './helpers/tools';

// Two: several reducers (partitioning, a part each), with the fewest containers on 2 cores.
const REDUCERS = 2;
const SLOW = 900_000;

describe('--hadoop-conf is checked before anything runs (exit 2)', () => {
  test('a configuration that does not name YARN, a missing directory, another runner', () => {
    const dir = tmpDir('vp-conf-');
    try {
      fs.writeFileSync(path.join(dir, 'mapred-site.xml'), '<configuration></configuration>\n');
      const views = path.join(dir, 'v.tsv');
      fs.writeFileSync(views, 'p1\ta\np1\tb\n');
      const job = (args: string): ReturnType<typeof sh> => sh(`./run-job.sh --input '${views}' --output '${dir}/out' ${args}`);
      const noYarn = job(`--runner hadoop --hadoop-conf '${dir}'`);
      expect([noYarn.code, noYarn.stderr]).toEqual([2, expect.stringContaining('does not set mapreduce.framework.name=yarn')]);
      fs.writeFileSync(
        path.join(dir, 'mapred-site.xml'),
        '<configuration><property><name>mapreduce.framework.name</name><value>yarn</value></property></configuration>\n',
      );
      const noFs = job(`--runner hadoop --hadoop-conf '${dir}'`);
      expect([noFs.code, noFs.stderr]).toEqual([2, expect.stringContaining('its core-site.xml does not set fs.defaultFS')]);
      const missing = job(`--runner hadoop --hadoop-conf '${dir}/nope'`);
      expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('--hadoop-conf: no such directory')]);
      const local = job(`--hadoop-conf '${dir}'`);
      expect([local.code, local.stderr]).toEqual([2, expect.stringContaining('--hadoop-conf needs --runner hadoop')]);
      const node = job(`--node 'my node'`);
      expect([node.code, node.stderr]).toEqual([2, expect.stringContaining('--node must be one word')]);
      expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeIf(missingCluster(), `a YARN + HDFS cluster (Hadoop's MiniCluster), ${REDUCERS} reducers`, () => {
  let dir = '';
  let conf = '';

  beforeAll(async () => {
    dir = tmpDir('vp-cluster-');
    conf = await sharedCluster();
  }, SLOW);

  afterAll(() => {
    if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  });

  test('cluster:up again finds the running cluster and prints the same configuration directory', () => {
    expect(fs.existsSync(path.join(conf, 'mapred-site.xml'))).toBe(true);
    const again = sh(`${CLUSTER} up`);
    expect([again.code, again.stdout.trim().split('\n').pop()]).toEqual([0, conf]);
  });

  interface Run {
    code: number;
    stderr: string;
    out: string;
  }

  function runJob(name: string, input: string, extra = ''): Run {
    const out = path.join(dir, name);
    const cluster = extra.includes('--runner local') ? '' : `--runner hadoop --hadoop-conf '${conf}'`;
    // A TMPDIR of the test's: a failed run keeps its Hadoop log in a viewed-products-logs.* folder there.
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
    const r = sh(`./run-job.sh ${cluster} --input '${input}' --output '${out}' --reducers ${REDUCERS} ${extra}`, { TMPDIR: tmp });
    return { code: r.code, stderr: r.stderr, out: path.join(out, 'viewed_products.tsv') };
  }

  /** True when PATH exists on the cluster's file system. */
  function onHdfs(p: string): boolean {
    return sh(`tools/hadoop/hadoop-streaming --fs -test -e '${p}'`, { HADOOP_CONF_DIR: conf, VP_HADOOP: 'pinned' }).code === 0;
  }

  /** The cluster run and the local run of INPUT agree byte for byte; returns the cluster run. */
  function sameAsLocal(name: string, input: string, extra = ''): Run {
    const local = runJob(`${name}-local`, input, `--runner local ${extra}`);
    expect(local.code).toBe(0);
    const cluster = runJob(`${name}-cluster`, input, extra);
    if (cluster.code !== 0) throw new Error(`cluster run failed:\n${cluster.stderr.slice(-6000)}`);
    const a = fs.readFileSync(local.out);
    const b = fs.readFileSync(cluster.out);
    expect(b.length).toBeGreaterThan(0);
    expect(b.equals(a)).toBe(true);
    return cluster;
  }

  /** The log names both YARN applications and the HDFS paths, and the HDFS work directory is gone. */
  function expectClusterLog(stderr: string): void {
    expect(stderr).toContain(`phase 1: Hadoop Streaming job on YARN (${REDUCERS} reducer(s))`);
    const apps = [...stderr.matchAll(/phase ([12]): YARN application (application_\d+_\d+), output (hdfs:\/\/\S+)/g)];
    expect(apps.map((m) => m[1])).toEqual(['1', '2']);
    expect(apps[0][2]).not.toBe(apps[1][2]);
    const work = /input uploaded to (hdfs:\/\/127\.0\.0\.1:\d+)(\/tmp\/viewed-products\/run-\S+)\/input$/m.exec(stderr);
    expect(work).not.toBeNull();
    const [, fsUri, runDir] = work ?? ['', '', ''];
    expect(apps[1][3]).toBe(`${fsUri}${runDir}/phase2`);
    expect(stderr).toContain(`result read from ${fsUri}${runDir}/phase2`);
    expect(stderr).toContain(`HDFS work directory removed: ${fsUri}${runDir}`);
    expect(onHdfs(runDir)).toBe(false);
  }

  // Diginetica, not MovieLens: YARN's part is the distribution (HDFS, containers, retries), which a tenth of
  // MovieLens's pairs exercises; Hadoop sorting MovieLens's 20.1M pairs is hadoop-runner.test.ts's.
  test('Diginetica sample --score llr --top 20: the supports phase too, identical to the local runner', () => {
    const run = sameAsLocal('llr', dataViews('diginetica', dir), '--score llr --top 20');
    expectClusterLog(run.stderr);
    expect(run.stderr).toMatch(/phase supports: YARN application application_\d+_\d+, output hdfs:\/\/\S+\/supports$/m);
    // source, target, count, score; at most 20 targets a source.
    const lines = fs.readFileSync(run.out, 'latin1').trim().split('\n');
    expect(lines.every((l) => l.split('\t').length === 4)).toBe(true);
    const perSource = new Map<string, number>();
    for (const l of lines) perSource.set(l.split('\t')[0], (perSource.get(l.split('\t')[0]) ?? 0) + 1);
    expect(Math.max(...perSource.values())).toBe(20);
  }, SLOW);

  /** A node command for the tasks (--node): runs BODY first, then the real node. */
  function nodeWrapper(name: string, body: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/bin/sh\n${body}\nexec '${process.execPath}' "$@"\n`, { mode: 0o755 });
    return file;
  }

  function smallViews(): string {
    const file = path.join(dir, 'small.tsv');
    fs.writeFileSync(file, 'p1\ta\np1\tb\np2\ta\np2\tb\np2\tc\np3\tc\np3\ta\n');
    return file;
  }

  test('a reducer that fails every attempt: exit 20 after YARN retried it, with the containers\' stderr', () => {
    const node = nodeWrapper(
      'node-always-fails',
      'if [ "$1" = pairs-reducer.js ]; then cat >/dev/null; echo "pairs-reducer: simulated crash in $mapreduce_task_attempt_id" >&2; exit 5; fi',
    );
    const r = runJob('fails', smallViews(), `--reducers 1 --node '${node}'`);
    expect(r.code).toBe(20);
    expect(r.stderr).toMatch(/phase 1: YARN application application_\d+_\d+ failed: Job failed as tasks failed\. failedMaps:0 failedReduces:1/);
    expect(r.stderr).toMatch(/phase 1 failed: Hadoop job \(exit \d+\): reducer subprocess failed with code 5/);
    // Both attempts (mapreduce.reduce.maxattempts=2 in the cluster's configuration), each in its own container.
    const crashes = [...r.stderr.matchAll(/^(container_\d+_\d+_\d+_\d+): pairs-reducer: simulated crash in (attempt_\d+_\d+_r_000000_\d)$/gm)];
    expect(crashes.map((m) => m[2].slice(-2)).sort()).toEqual(['_0', '_1']);
    expect(new Set(crashes.map((m) => m[1])).size).toBe(2);
    expect(r.stderr).toMatch(/HDFS work directory removed: hdfs:/);
    expect(fs.existsSync(r.out)).toBe(false);
  }, SLOW);

  test('Diginetica sample, every reducer failing its first attempt: YARN retries them, identical to the local runner and the reference', () => {
    const failed = path.join(dir, 'failed-attempts');
    const node = nodeWrapper(
      'node-fails-once',
      // The phase-2 reducer (not its combiner: one argument), first attempt of each task;
      // the containers run on this machine, so they can note it in a local file.
      'case "$1 $# $mapreduce_task_attempt_id" in "sum-reducer.js 1 "*_r_*_0) cat >/dev/null; ' +
        `echo "$mapreduce_task_attempt_id" >>'${failed}'; echo "sum-reducer: first attempt fails" >&2; exit 6 ;; esac`,
    );
    const views = dataViews('diginetica', dir);
    const run = sameAsLocal('retry', views, `--node '${node}'`);
    expect(facts(run.out)).toEqual({ rows: 59_750, sum: 61_252 });
    expectClusterLog(run.stderr);
    expect(run.stderr).toMatch(/pairs +61252 /);
    // Not only the same as the local runner: the table an independent implementation makes.
    expect(fs.readFileSync(run.out, 'latin1')).toBe(referenceImportFile(referenceJob(fs.readFileSync(views, 'latin1').trimEnd().split('\n'))));
    // Each reduce task failed its first attempt, and YARN ran a second one that worked.
    const attempts = fs.readFileSync(failed, 'utf8').trim().split('\n').sort();
    expect(attempts).toHaveLength(REDUCERS);
    expect(attempts.map((a) => a.replace(/^attempt_\d+_\d+_/, ''))).toEqual([...Array(REDUCERS).keys()].map((i) => `r_00000${i}_0`));
  }, SLOW);
});
