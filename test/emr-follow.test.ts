/**
 * `./run-job.sh --runner emr` after submitting, with the real AWS CLI against
 * moto's server (the run's, test/helpers/moto.ts): the failure path when the
 * cluster ends before the steps complete or a step fails, the download and
 * merge of the part files, the job counters read from the step logs.
 *
 * Needs `aws` (pip install awscli) and `moto_server` (pip install
 * 'moto[server]'); skips with a visible reason without them, except under
 * CI=true, where it fails. Credentials are dummies, for moto only.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, dataViews, facts } from './helpers/exec';
import { Moto } from './helpers/moto';
import { describeIf } from './helpers/suite';
import { missingMoto } from './helpers/tools';

const SLOW = 300_000;
const BUCKET = 'vp-emr-follow';

// An account of its own: the clusters this suite creates stay out of emr-submit's count.
describeIf(missingMoto(), 'run-job.sh --runner emr following the steps, against moto (real AWS CLI)', () => {
  let moto: Moto;
  let env: NodeJS.ProcessEnv = {};
  let work = '';
  let views = '';
  const aws = (args: string[]): any => moto.aws(args);

  beforeAll(async () => {
    moto = await Moto.create('vp-emr-moto-', '111111111111');
    ({ env, work } = moto);
    views = path.join(work, 'views.tsv');
    fs.writeFileSync(views, 'path_id\tproduct_id\np1\tA\np1\tB\np2\tA\np2\tB\np2\tC\n');
    moto.createBucket(BUCKET);
  }, 60_000);

  afterAll(() => moto?.remove());

  test(
    'a cluster that ends before the steps complete fails the run with exit 20 and the reason',
    async () => {
      const existing: string = aws([
        'emr', 'create-cluster', '--name', 'doomed', '--release-label', 'emr-7.10.0', '--applications', 'Name=Hadoop',
        '--instance-type', 'm5.xlarge', '--instance-count', '1', '--use-default-roles', '--no-auto-terminate',
      ]).ClusterId;
      const out = path.join(work, 'doomed-out');
      const child = spawn(
        path.join(ROOT, 'run-job.sh'),
        ['--runner', 'emr', '--s3', `s3://${BUCKET}/doomed`, '--cluster-id', existing, '--input', views,
          '--output', out, '--emr-poll-seconds', '1'],
        { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      // Moto never runs steps: once ours are accepted and being followed, end the cluster.
      const deadline = Date.now() + 120_000;
      while (!/waiting for the steps/.test(stderr)) {
        if (Date.now() > deadline) throw new Error(`steps never accepted:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      aws(['emr', 'terminate-clusters', '--cluster-ids', existing]);
      const code = await exited;
      expect(stderr).toMatch(new RegExp(`cluster ${existing} is TERMINAT\\w+ before the steps completed`));
      expect(code).toBe(20);
      expect(fs.existsSync(path.join(out, 'viewed_products.tsv'))).toBe(false);
    },
    SLOW,
  );

  test(
    'after the steps: the part files are downloaded and merged into viewed_products.tsv (lib/emr.sh)',
    () => {
      // Moto never runs steps, so put what phase 2 writes (3 part files, _SUCCESS) where the
      // steps write it, and run the runner's own download function on it.
      const dg = dataViews('diginetica', work);
      const local = path.join(work, 'local-run');
      const lr = spawnSync(
        path.join(ROOT, 'run-job.sh'),
        ['--input', dg, '--output', path.join(local, 'out'), '--reducers', '3', '--work-dir', path.join(local, 'w')],
        { cwd: ROOT, env, encoding: 'utf8' },
      );
      if (lr.status !== 0) throw new Error(lr.stderr);
      const output = `s3://${BUCKET}/download/runs/r1/output`;
      aws(['s3', 'cp', '--recursive', '--only-show-errors', path.join(local, 'w', 'phase2'), `${output}/`,
        '--exclude', '*', '--include', 'part-*']);
      const script = (dir: string) =>
        `ROOT=$PWD; DIST=$ROOT/dist; source lib/common.sh; source lib/local.sh; source lib/emr.sh; make_work_dir '${dir}';` +
        ` plan_load; declare -A EMR_LAYOUT=([output]='${output}'); emr_download`;
      // Without _SUCCESS the job did not finish: refuse, exit 20.
      const early = spawnSync('bash', ['-c', `set -Eeuo pipefail; ${script(path.join(work, 'dl0'))}`], { cwd: ROOT, env, encoding: 'utf8' });
      expect(early.status).toBe(20);
      expect(early.stderr).toMatch(/_SUCCESS is missing/);
      const empty = path.join(work, 'empty');
      fs.writeFileSync(empty, '');
      aws(['s3', 'cp', '--only-show-errors', empty, `${output}/_SUCCESS`]);
      const dl = path.join(work, 'dl1');
      const r = spawnSync('bash', ['-c', `set -Eeuo pipefail; ${script(dl)}`], { cwd: ROOT, env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      expect(r.stderr).toMatch(/59750 rows from 3 part file/);
      const merged = fs.readFileSync(path.join(dl, 'viewed_products.tsv'));
      expect(merged.equals(fs.readFileSync(path.join(local, 'out', 'viewed_products.tsv')))).toBe(true);
      expect(facts(path.join(dl, 'viewed_products.tsv'))).toEqual({ rows: 59750, sum: 61252 });
    },
    SLOW,
  );

  test('a failed step ends the run with exit 20 naming the phase, the step and the cluster', () => {
    const cluster: string = aws([
      'emr', 'create-cluster', '--name', 'failing', '--release-label', 'emr-7.10.0', '--applications', 'Name=Hadoop',
      '--instance-type', 'm5.xlarge', '--instance-count', '1', '--use-default-roles', '--no-auto-terminate',
    ]).ClusterId;
    const steps = path.join(work, 'one-step.json');
    fs.writeFileSync(steps, JSON.stringify([{ Type: 'CUSTOM_JAR', Name: 'x', ActionOnFailure: 'CANCEL_AND_WAIT', Jar: 'command-runner.jar', Args: ['true'] }]));
    const step: string = aws(['emr', 'add-steps', '--cluster-id', cluster, '--steps', `file://${steps}`]).StepIds[0];
    // The function emr_wait calls when describe-step says FAILED (moto cannot fail a step).
    const r = spawnSync(
      'bash',
      ['-c', `set -Eeuo pipefail; source lib/common.sh; source lib/emr.sh; EMR_CLUSTER='${cluster}'; emr_step_failed 2 '${step}' FAILED`],
      { cwd: ROOT, env, encoding: 'utf8' },
    );
    expect(r.status).toBe(20);
    expect(r.stderr).toContain(`phase 2 (EMR step ${step} on ${cluster}) FAILED. No failure details from EMR; see the step logs.`);
  });

  test('job counters are read from the step logs a new cluster uploads (stderr.gz, else syslog.gz)', () => {
    const logs = `s3://${BUCKET}/counters/logs`;
    const hadoopLog = (counters: string[]) =>
      '2026-01-01 00:00:00,000 INFO mapreduce.Job: Counters: 40\n\tFile System Counters\n\t\tFILE: Number of bytes read=123\n' +
      `\tviewed_products\n${counters.map((c) => `\t\t${c}\n`).join('')}` +
      '\tFile Output Format Counters \n\t\tBytes Written=99\n2026-01-01 00:00:01,000 INFO streaming.StreamJob: Output directory: s3://x\n';
    const put = (name: string, text: string) => {
      const f = path.join(work, 'log-upload');
      fs.writeFileSync(f, text);
      expect(spawnSync('gzip', ['-f', f]).status).toBe(0);
      aws(['s3', 'cp', '--only-show-errors', `${f}.gz`, `${logs}/j-LOGS/steps/${name}`]);
    };
    put('s-ONE/stderr.gz', hadoopLog(['map_lines=12391', 'skipped_null_id=2', 'pairs=61252']));
    put('s-TWO/stderr.gz', 'no counters in this one\n');
    put('s-TWO/syslog.gz', hadoopLog(['result_rows_out=59750']));
    const run = (steps: string) => {
      const dir = path.join(work, `counters-${steps.replace(/\W/g, '')}`);
      const r = spawnSync(
        'bash',
        ['-c', `set -Eeuo pipefail; ROOT=$PWD; DIST=$ROOT/dist; source lib/common.sh; source lib/emr.sh; make_work_dir '${dir}'; EMR_S3='s3://${BUCKET}/counters';` +
          ` plan_load; plan_phases EMR_PHASES; EMR_CLUSTER=j-LOGS; EMR_STEP_IDS=(${steps}); EMR_LOG_WAIT_SECONDS=0; emr_counters`],
        { cwd: ROOT, env, encoding: 'utf8' },
      );
      expect(r.status).toBe(0);
      return { counters: fs.readFileSync(path.join(dir, 'counters.tsv'), 'utf8'), stderr: r.stderr };
    };
    expect(run('s-ONE s-TWO').counters).toBe('1\tmap_lines\t12391\n1\tskipped_null_id\t2\n1\tpairs\t61252\n2\tresult_rows_out\t59750\n');
    const missing = run('s-ONE s-NONE');
    expect(missing.counters).toBe('1\tmap_lines\t12391\n1\tskipped_null_id\t2\n1\tpairs\t61252\n');
    expect(missing.stderr).toMatch(/no job counters for phase 2 in /);
  });
});
