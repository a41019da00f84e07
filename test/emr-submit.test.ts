/**
 * `./run-job.sh --runner emr --submit-only` with the real AWS CLI against
 * moto's server (the run's, test/helpers/moto.ts): what it uploads, the
 * cluster it creates (or the cluster it adds steps to), the steps' arguments
 * and order; usage errors submit nothing. Following the steps: emr-follow.test.ts.
 *
 * Needs `aws` (pip install awscli) and `moto_server` (pip install
 * 'moto[server]'); skips with a visible reason without them, except under
 * CI=true, where it fails. Credentials are dummies, for moto only.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { emrSteps, toApiStep } from '../src/job/emr-steps';
import { ROOT } from './helpers/exec';
import { Moto } from './helpers/moto';
import { describeIf } from './helpers/suite';
import { missingMoto } from './helpers/tools';

/** A step as EMR recorded it (ListSteps), in the API's HadoopJarStep form. */
interface Recorded {
  Name: string;
  ActionOnFailure: string;
  HadoopJarStep: { Jar: string; Args: string[] };
}

const SLOW = 300_000;
const BUCKET = 'vp-emr-test';

describeIf(missingMoto(), 'run-job.sh --runner emr --submit-only against moto (real AWS CLI)', () => {
  let moto: Moto;
  let work = '';
  let views = '';
  const aws = (args: string[]): any => moto.aws(args);
  const s3Get = (uri: string): Buffer | null => moto.s3Get(uri);
  const runJob = (args: string[]): ReturnType<Moto['runJob']> => moto.runJob(args);

  beforeAll(async () => {
    moto = await Moto.create('vp-emr-moto-');
    work = moto.work;
    views = path.join(work, 'views.tsv');
    fs.writeFileSync(views, 'path_id\tproduct_id\np1\tA\np1\tB\np2\tA\np2\tB\np2\tC\n');
    moto.createBucket(BUCKET);
  }, 60_000);

  afterAll(() => moto?.remove());

  /** `cluster j-…` / `step N s-…` / `output URI` lines of --submit-only. */
  function submitted(stdout: string, phases = ['1', '2']): { cluster: string; steps: string[]; output: string } {
    const rows = stdout.trimEnd().split('\n').map((l) => l.split('\t'));
    const cluster = rows.find((r) => r[0] === 'cluster')?.[1] ?? '';
    const steps = rows.filter((r) => r[0] === 'step').map((r) => r[2]);
    const output = rows.find((r) => r[0] === 'output')?.[1] ?? '';
    expect(cluster).toMatch(/^j-[A-Z0-9]+$/);
    expect(rows.filter((r) => r[0] === 'step').map((r) => r[1])).toEqual(phases);
    return { cluster, steps, output };
  }

  /** The cluster's steps in submission order, as the EMR API returns them. */
  function clusterSteps(cluster: string): Array<{ Id: string; Name: string; ActionOnFailure: string; Config: { Jar: string; Args: string[] } }> {
    return aws(['emr', 'list-steps', '--cluster-id', cluster]).Steps.reverse();
  }

  /** The steps as the EMR API form emrSteps renders. */
  function recorded(steps: ReturnType<typeof clusterSteps>): Recorded[] {
    return steps.map((s) => ({ Name: s.Name, ActionOnFailure: s.ActionOnFailure, HadoopJarStep: { Jar: s.Config.Jar, Args: s.Config.Args } }));
  }

  /** The run prefix the steps use (the output URI minus /output/). */
  const runOf = (output: string): string => output.replace(/\/output\/?$/, '');

  /** An object's name, size and digest (null: missing). */
  const summary = (uri: string, data: Buffer | null): { uri: string; bytes: number; sha1: string } | { uri: string; missing: true } =>
    data === null ? { uri, missing: true } : { uri, bytes: data.length, sha1: createHash('sha1').update(data).digest('hex') };

  /** Every object the steps name exists and holds what we uploaded. */
  function expectShippedObjects(steps: Recorded[], inputName: string): void {
    for (const s of steps) {
      const args = s.HadoopJarStep.Args;
      for (let i = 0; i < args.length; i++) {
        if (args[i] !== '-files') continue;
        // A side file (URI#name) is written by an earlier step, not uploaded.
        for (const uri of args[i + 1].split(',').filter((u) => !u.includes('#'))) {
          // Named and summarised, so a mismatch says which object and how it differs.
          expect(summary(uri, s3Get(uri))).toEqual(summary(uri, fs.readFileSync(path.join(ROOT, 'dist', path.basename(uri)))));
        }
      }
    }
    const input = steps[0].HadoopJarStep.Args[steps[0].HadoopJarStep.Args.indexOf('-input') + 1];
    expect(summary(`${input}/${inputName}`, s3Get(`${input}/${inputName}`))).toEqual(summary(`${input}/${inputName}`, fs.readFileSync(views)));
    // Hadoop refuses an existing output directory: both must still be absent.
    for (const s of steps) {
      const out = s.HadoopJarStep.Args[s.HadoopJarStep.Args.indexOf('-output') + 1];
      expect(moto.s3Keys(`${out}/`)).toEqual([]);
    }
  }

  test(
    '--submit-only creates an auto-terminating cluster with the bootstrap action and both steps',
    () => {
      const r = runJob([
        '--runner', 'emr', '--s3', `s3://${BUCKET}/jobs/viewed`, '--input', views, '--submit-only',
        '--reducers', '5', '--max-path-products', '300',
        '--release-label', 'emr-7.9.0', '--instance-type', 'm6i.2xlarge', '--instance-count', '4',
      ]);
      if (r.code !== 0) throw new Error(`run-job.sh exit ${r.code}:\n${r.stderr}\n${moto.log()}`);
      const { cluster, steps: ids, output } = submitted(r.stdout);
      const run = runOf(output);
      expect(run).toMatch(new RegExp(`^s3://${BUCKET}/jobs/viewed/runs/[^/]+$`));

      const c = aws(['emr', 'describe-cluster', '--cluster-id', cluster]).Cluster;
      expect(c.ReleaseLabel).toBe('emr-7.9.0');
      expect(c.AutoTerminate).toBe(true);
      expect(c.LogUri).toBe(`s3://${BUCKET}/jobs/viewed/logs`);
      expect(c.Applications.map((a: { Name: string }) => a.Name)).toEqual(['Hadoop']);
      const groups = c.InstanceGroups.map((g: any) => [g.InstanceGroupType, g.InstanceType, g.RequestedInstanceCount]).sort();
      expect(groups).toEqual([['CORE', 'm6i.2xlarge', 3], ['MASTER', 'm6i.2xlarge', 1]]);
      expect(c.BootstrapActions).toHaveLength(1);
      const bootstrap = c.BootstrapActions[0].ScriptPath;
      expect(bootstrap).toBe(`${run}/bootstrap-node.sh`);
      expect(s3Get(bootstrap)!.equals(fs.readFileSync(path.join(ROOT, 'emr/bootstrap-node.sh')))).toBe(true);

      const steps = clusterSteps(cluster);
      expect(steps.map((s) => s.Id)).toEqual(ids);
      const want = emrSteps({
        runUri: run,
        target: 'new-cluster',
        settings: { reducers: 5, maxPathProducts: 300 },
      }).map(toApiStep);
      const got = recorded(steps);
      expect(got).toEqual(want);
      // Spelled out, independent of the renderer.
      expect(got.map((s) => s.ActionOnFailure)).toEqual(['TERMINATE_CLUSTER', 'TERMINATE_CLUSTER']);
      expect(got.map((s) => s.HadoopJarStep.Jar)).toEqual(['command-runner.jar', 'command-runner.jar']);
      const [a1, a2] = got.map((s) => s.HadoopJarStep.Args);
      expect(a1[0]).toBe('hadoop-streaming');
      expect(a1).toContain('mapreduce.job.reduces=5');
      expect(a1[a1.indexOf('-reducer') + 1]).toBe('node pairs-reducer.js --max-path-products=300');
      expect(a2[a2.indexOf('-input') + 1]).toBe(a1[a1.indexOf('-output') + 1]);
      expect(a2[a2.indexOf('-output') + 1]).toBe(`${run}/output`);
      expect(a2[a2.indexOf('-combiner') + 1]).toBe('node sum-reducer.js --role=combiner');
      expectShippedObjects(got, 'views.tsv');
    },
    SLOW,
  );

  test(
    '--score llr --top 20 --min-count 2: three steps (a supports step between the phases), as emrSteps renders them',
    () => {
      const r = runJob([
        '--runner', 'emr', '--s3', `s3://${BUCKET}/jobs/ranked`, '--input', views, '--submit-only',
        '--reducers', '4', '--score', 'llr', '--top', '20', '--min-count', '2',
      ]);
      if (r.code !== 0) throw new Error(`run-job.sh exit ${r.code}:\n${r.stderr}`);
      const { cluster, steps: ids, output } = submitted(r.stdout, ['1', 'supports', '2']);
      const run = runOf(output);
      const steps = clusterSteps(cluster);
      expect(steps.map((s) => s.Id)).toEqual(ids);
      const got = recorded(steps);
      expect(got).toEqual(
        emrSteps({ runUri: run, target: 'new-cluster', settings: { reducers: 4, score: 'llr', top: 20, minCount: 2 } }).map(toApiStep),
      );
      const a3 = got[2].HadoopJarStep.Args;
      expect(a3[a3.indexOf('-reducer') + 1]).toBe('node sum-reducer.js --min-count=2 --score=llr --supports=supports.tsv --top=20');
      expect(a3[a3.indexOf('-files') + 1]).toContain(`${run}/supports/part-00000#supports.tsv`);
      expectShippedObjects(got, 'views.tsv');
    },
    SLOW,
  );

  test(
    '--cluster-id adds the steps to a running cluster, with CANCEL_AND_WAIT and no bootstrap upload; an s3:// input is read in place',
    () => {
      const created = aws([
        'emr', 'create-cluster', '--name', 'shared', '--release-label', 'emr-7.10.0', '--applications', 'Name=Hadoop',
        '--instance-type', 'm5.xlarge', '--instance-count', '2', '--use-default-roles', '--no-auto-terminate',
      ]);
      const existing: string = created.ClusterId;
      const exported = `s3://${BUCKET}/exports/day1`;
      aws(['s3', 'cp', '--only-show-errors', views, `${exported}/views.tsv`]);
      const r = runJob([
        '--runner', 'emr', '--s3', `s3://${BUCKET}/shared/`, '--cluster-id', existing, '--input', `${exported}/`,
        '--submit-only', '--reducers', '2', '--no-combine',
      ]);
      if (r.code !== 0) throw new Error(`run-job.sh exit ${r.code}:\n${r.stderr}`);
      const { cluster, steps: ids, output } = submitted(r.stdout);
      expect(cluster).toBe(existing);
      const run = runOf(output);
      const steps = clusterSteps(existing);
      expect(steps.map((s) => s.Id)).toEqual(ids);
      const got = recorded(steps);
      expect(got).toEqual(
        emrSteps({ runUri: run, target: 'existing-cluster', inputs: [exported], settings: { reducers: 2, combine: false } }).map(toApiStep),
      );
      expect(got[0].HadoopJarStep.Args[got[0].HadoopJarStep.Args.indexOf('-input') + 1]).toBe(exported);
      expect(s3Get(`${run}/input/views.tsv`)).toBeNull();
      expect(got[0].HadoopJarStep.Args).toContain('node pairs-reducer.js --max-path-products=1000 --no-combine');
      expectShippedObjects(got, 'views.tsv');
      expect(s3Get(`${run}/bootstrap-node.sh`)).toBeNull();
    },
    SLOW,
  );

  test('usage errors: --s3 missing or malformed, bad --cluster-id (exit 2, nothing submitted)', () => {
    const before = aws(['emr', 'list-clusters']).Clusters.length;
    for (const extra of [[], ['--s3', 'https://bucket/x'], ['--s3', `s3://${BUCKET}/x`, '--cluster-id', 'cluster-1']]) {
      const r = runJob(['--runner', 'emr', '--input', views, '--submit-only', ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--s3|--cluster-id/);
    }
    expect(aws(['emr', 'list-clusters']).Clusters.length).toBe(before);
  });
});
