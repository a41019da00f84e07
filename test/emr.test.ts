/**
 * `./run-job.sh --runner emr` with the real AWS CLI against moto's server mode
 * on loopback (AWS_ENDPOINT_URL): what it uploads, the cluster it creates (or
 * the cluster it adds steps to), the steps' arguments and order, and the
 * failure path when the cluster ends before the steps complete.
 *
 * Needs `aws` (pip install awscli) and `moto_server` (pip install
 * 'moto[server]'); skips with a visible reason without them, except under
 * CI=true, where it fails. Credentials are dummies, for moto only.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { emrSteps, toApiStep } from '../src/job/emr-steps';

/** A step as EMR recorded it (ListSteps), in the API's HadoopJarStep form. */
interface Recorded {
  Name: string;
  ActionOnFailure: string;
  HadoopJarStep: { Jar: string; Args: string[] };
}
import { ROOT, dataViews, facts, tmpDir } from './helpers/exec';

const CI = process.env.CI === 'true';
const SLOW = 300_000;
const BUCKET = 'vp-emr-test';

function has(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

function missingTools(): string | null {
  const missing = [];
  if (!has('aws', ['--version'])) missing.push('aws (pip install awscli)');
  if (!has('moto_server', ['--help'])) missing.push("moto_server (pip install 'moto[server]')");
  return missing.length === 0 ? null : `not installed: ${missing.join(', ')}`;
}

const missing = missingTools();
if (missing !== null && !CI) process.stderr.write(`SKIPPED emr.test.ts (EMR runner against moto): ${missing}\n`);
const describeMoto = missing === null || CI ? describe : describe.skip;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr !== null ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHttp(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch (e) {
      if (Date.now() > end) throw new Error(`moto_server did not answer on ${url}: ${String(e)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describeMoto('run-job.sh --runner emr against moto (real AWS CLI)', () => {
  let moto: ChildProcess | undefined;
  let motoLog = '';
  let env: NodeJS.ProcessEnv = {};
  let work = '';
  let views = '';

  /** The AWS CLI against moto; JSON output parsed. */
  function aws(args: string[]): any {
    const r = spawnSync('aws', [...args, '--output', 'json'], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`aws ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout.trim() === '' ? null : JSON.parse(r.stdout);
  }

  /** An S3 object's bytes, or null when it does not exist. */
  function s3Get(uri: string): Buffer | null {
    const dest = path.join(work, `get-${Math.random().toString(36).slice(2)}`);
    const r = spawnSync('aws', ['s3', 'cp', '--only-show-errors', uri, dest], { env, encoding: 'utf8' });
    if (r.status !== 0) return null;
    const data = fs.readFileSync(dest);
    fs.rmSync(dest);
    return data;
  }

  function runJob(args: string[]): { code: number; stdout: string; stderr: string } {
    const r = spawnSync(path.join(ROOT, 'run-job.sh'), args, { cwd: ROOT, env, encoding: 'utf8' });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

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

  /** Every object the steps name exists and holds what we uploaded. */
  function expectShippedObjects(steps: Recorded[], inputName: string): void {
    for (const s of steps) {
      const args = s.HadoopJarStep.Args;
      for (let i = 0; i < args.length; i++) {
        if (args[i] !== '-files') continue;
        // A side file (URI#name) is written by an earlier step, not uploaded.
        for (const uri of args[i + 1].split(',').filter((u) => !u.includes('#'))) {
          const data = s3Get(uri);
          expect(data).not.toBeNull();
          expect(data!.equals(fs.readFileSync(path.join(ROOT, 'dist', path.basename(uri))))).toBe(true);
        }
      }
    }
    const input = steps[0].HadoopJarStep.Args[steps[0].HadoopJarStep.Args.indexOf('-input') + 1];
    expect(s3Get(`${input}/${inputName}`)!.equals(fs.readFileSync(views))).toBe(true);
    // Hadoop refuses an existing output directory: both must still be absent.
    for (const s of steps) {
      const out = s.HadoopJarStep.Args[s.HadoopJarStep.Args.indexOf('-output') + 1];
      const ls = spawnSync('aws', ['s3', 'ls', `${out}/`], { env, encoding: 'utf8' });
      expect(ls.stdout.trim()).toBe('');
    }
  }

  beforeAll(async () => {
    if (missing !== null) throw new Error(`CI=true but ${missing}`);
    work = tmpDir('vp-emr-moto-');
    views = path.join(work, 'views.tsv');
    fs.writeFileSync(views, 'path_id\tproduct_id\np1\tA\np1\tB\np2\tA\np2\tB\np2\tC\n');
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    env = {
      PATH: process.env.PATH,
      HOME: work,
      TMPDIR: work,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: path.join(work, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-aws-credentials'),
      AWS_ENDPOINT_URL: endpoint,
    };
    moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    moto.stdout?.on('data', (d: Buffer) => (motoLog += d.toString()));
    moto.stderr?.on('data', (d: Buffer) => (motoLog += d.toString()));
    await waitForHttp(`${endpoint}/`, 30_000);
    aws(['s3api', 'create-bucket', '--bucket', BUCKET]);
  }, 60_000);

  afterAll(async () => {
    const m = moto;
    if (m !== undefined && m.exitCode === null && m.signalCode === null) {
      const gone = new Promise((resolve) => m.once('exit', resolve));
      m.kill('SIGTERM');
      await gone;
    }
    if (work !== '') fs.rmSync(work, { recursive: true, force: true });
  });

  test(
    '--submit-only creates an auto-terminating cluster with the bootstrap action and both steps',
    () => {
      const r = runJob([
        '--runner', 'emr', '--s3', `s3://${BUCKET}/jobs/viewed`, '--input', views, '--submit-only',
        '--reducers', '5', '--max-path-products', '300',
        '--release-label', 'emr-7.9.0', '--instance-type', 'm6i.2xlarge', '--instance-count', '4',
      ]);
      if (r.code !== 0) throw new Error(`run-job.sh exit ${r.code}:\n${r.stderr}\n${motoLog.slice(-2000)}`);
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
        ` plan_load emr; declare -A EMR_LAYOUT=([output]='${output}'); emr_download`;
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
          ` plan_load emr; plan_phases EMR_PHASES; EMR_CLUSTER=j-LOGS; EMR_STEP_IDS=(${steps}); EMR_LOG_WAIT_SECONDS=0; emr_counters`],
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

/**
 * emr/bootstrap-node.sh's logic, in a sandbox: PATH holds only `ln`, `chmod` and
 * stand-ins for Amazon Linux's dnf/alternatives/sudo (no AL2023 node here), and
 * NODE_BIN_DIR is a temporary /usr/bin. The stand-ins behave as on AL2023:
 * `dnf install nodejs20` creates node-20; `alternatives --set` points `node` at it.
 */
describe('emr/bootstrap-node.sh (sandboxed dnf and alternatives)', () => {
  const script = path.join(ROOT, 'emr/bootstrap-node.sh');
  const bash = spawnSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();

  function sandbox(opts: { alternatives: boolean; dnfFails?: boolean; version?: string; preinstalled?: string }) {
    const dir = tmpDir('vp-bootstrap-');
    const fake = path.join(dir, 'fakebin');
    const bin = path.join(dir, 'usr-bin');
    const calls = path.join(dir, 'calls');
    fs.mkdirSync(fake);
    fs.mkdirSync(bin);
    for (const tool of ['ln', 'chmod']) {
      const where = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      fs.symlinkSync(where, path.join(fake, tool));
    }
    const write = (file: string, body: string) => fs.writeFileSync(file, `#!${bash}\n${body}\n`, { mode: 0o755 });
    const nodeScript = (v: string) => `echo ${v}`;
    write(path.join(fake, 'sudo'), `[ "$1" = -n ] && shift; exec "$@"`);
    write(
      path.join(fake, 'dnf'),
      `echo "dnf $*" >> '${calls}'\n` +
        (opts.dnfFails === true
          ? 'echo "Error: Unable to find a match: nodejs20" >&2; exit 1'
          : `printf '#!${bash}\\n${nodeScript(opts.version ?? 'v20.11.1')}\\n' > '${bin}/node-20'; chmod +x '${bin}/node-20'`),
    );
    if (opts.alternatives) {
      write(
        path.join(fake, 'alternatives'),
        `echo "alternatives $*" >> '${calls}'\n` +
          `case $1 in --display) exit 0 ;; --set) ln -sfn "$3" '${bin}/node' ;; *) exit 2 ;; esac`,
      );
    }
    if (opts.preinstalled !== undefined) write(path.join(bin, 'node'), nodeScript(opts.preinstalled));
    const r = spawnSync(bash, [script], {
      env: { PATH: `${fake}:${bin}`, NODE_BIN_DIR: bin },
      encoding: 'utf8',
    });
    const log = fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8') : '';
    const link = fs.existsSync(path.join(bin, 'node')) ? fs.realpathSync(path.join(bin, 'node')) : '';
    fs.rmSync(dir, { recursive: true, force: true });
    return { code: r.status, stderr: r.stderr, calls: log, link: link.replace(dir, '') };
  }

  test('installs nodejs20 and links node to node-20 when alternatives has no entry', () => {
    const r = sandbox({ alternatives: false });
    expect(r.stderr).toMatch(/ok: .*\/node v20\.11\.1/);
    expect(r.code).toBe(0);
    expect(r.calls).toBe('dnf install -y -q nodejs20\n');
    expect(r.link).toBe('/usr-bin/node-20');
  });

  test('uses alternatives --set node /usr/bin/node-20 where AL2023 manages node with it', () => {
    const r = sandbox({ alternatives: true });
    expect(r.code).toBe(0);
    expect(r.calls).toMatch(/^dnf install -y -q nodejs20\nalternatives --display node\nalternatives --set node \S+\/usr-bin\/node-20\n$/);
    expect(r.link).toBe('/usr-bin/node-20');
  });

  test('leaves a node >= 18 alone', () => {
    const r = sandbox({ alternatives: true, preinstalled: 'v18.19.0' });
    expect(r.code).toBe(0);
    expect(r.calls).toBe('');
    expect(r.stderr).toMatch(/v18\.19\.0 already installed/);
  });

  test('fails loudly when dnf fails', () => {
    const r = sandbox({ alternatives: true, dnfFails: true });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/ERROR: dnf install nodejs20 failed/);
  });

  test('fails loudly when the node it ends up with is older than 18', () => {
    const r = sandbox({ alternatives: false, version: 'v16.20.2' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/ERROR: node v16\.20\.2 is older than the 18 the job needs/);
  });
});
