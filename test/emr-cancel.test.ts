/**
 * An EMR run stopped while it follows its steps (SIGTERM) cancels them:
 * `aws emr cancel-steps` with the run's step ids on its cluster. Against moto
 * with the real AWS CLI; moto has no CancelSteps, so an `aws` first on the
 * PATH records that one call and answers as EMR does, passing every other
 * call to the real CLI.
 *
 * Needs moto_server and aws (npm run setup:emr); skips with a visible reason
 * without them, except under CI=true, where it fails.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './helpers/exec';
import { Moto } from './helpers/moto';
import { describeIf } from './helpers/suite';
import { missingMoto } from './helpers/tools';

const BUCKET = 'vp-emr-cancel';

describeIf(missingMoto(), 'run-job.sh --runner emr stopped while following its steps, against moto', () => {
  let moto: Moto;

  beforeAll(async () => {
    moto = await Moto.create('vp-emr-cancel-', '222222222222');
    moto.createBucket(BUCKET);
  }, 60_000);

  afterAll(() => moto?.remove());

  test('SIGTERM: exit 143 after aws emr cancel-steps of exactly the run\'s steps on its cluster', async () => {
    const work = moto.work;
    const views = path.join(work, 'views.tsv');
    fs.writeFileSync(views, 'p1\tA\np1\tB\np2\tA\np2\tB\n');
    const cluster: string = moto.aws([
      'emr', 'create-cluster', '--name', 'cancel', '--release-label', 'emr-7.10.0', '--applications', 'Name=Hadoop',
      '--instance-type', 'm5.xlarge', '--instance-count', '1', '--use-default-roles', '--no-auto-terminate',
    ]).ClusterId;
    const bin = path.join(work, 'bin');
    fs.mkdirSync(bin);
    const realAws = execFileSync('bash', ['-c', 'command -v aws'], { env: moto.env, encoding: 'utf8' }).trim();
    const calls = path.join(work, 'cancel-calls');
    fs.writeFileSync(
      path.join(bin, 'aws'),
      `#!/bin/sh\ncase " $* " in *" cancel-steps "*) printf '%s\\n' "$*" >>'${calls}'; echo 'CANCELSTEPSINFOLIST\tSUBMITTED'; exit 0 ;; esac\nexec '${realAws}' "$@"\n`,
      { mode: 0o755 },
    );
    const child = spawn(
      path.join(ROOT, 'run-job.sh'),
      ['--runner', 'emr', '--s3', `s3://${BUCKET}/run`, '--cluster-id', cluster, '--input', views, '--output', path.join(work, 'out'), '--emr-poll-seconds', '1'],
      { cwd: ROOT, env: { ...moto.env, PATH: `${bin}:${moto.env.PATH}` }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const deadline = Date.now() + 120_000;
    while (!/waiting for the steps/.test(stderr)) {
      if (Date.now() > deadline) throw new Error(`steps never accepted:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    const steps: string[] = moto.aws(['emr', 'list-steps', '--cluster-id', cluster]).Steps.map((s: { Id: string }) => s.Id);
    expect(steps.length).toBeGreaterThan(0);
    const lines = fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').trim().split('\n') : [];
    expect(lines).toHaveLength(1);
    const words = lines[0].split(' ');
    expect(words).toEqual(expect.arrayContaining(['emr', 'cancel-steps', '--cluster-id', cluster, '--step-cancellation-option', 'TERMINATE_PROCESS']));
    const ids = words.slice(words.indexOf('--step-ids') + 1).filter((w) => /^s-/.test(w));
    expect(ids.sort()).toEqual([...steps].sort());
    expect(stderr).toMatch(new RegExp(`emr: cancelled the run's steps .* on ${cluster}`));
  }, 300_000);
});
