/**
 * The runner contract (docs/runners.md): every layer of run-job.sh's LAYERS defines the layer
 * functions and every runner the runner functions; the check (lib/contract.sh) catches a missing
 * one; a fake runner added to a copy of run-job.sh gets its options, help, --runner and cleanup.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, sh, tmpDir } from './helpers/exec';

/** The contract's functions, written out here apart from lib/contract.sh's list. */
const LAYER_FUNCTIONS = ['usage', 'parse_option', 'check_options', 'validate', 'cleanup'];
const RUNNER_FUNCTIONS = ['needs_result', 'run'];

/** Runs a bash SCRIPT after sourcing lib/common.sh (and FILES), as run-job.sh does. */
function bash(script: string, files: string[] = []): { code: number | null; stdout: string; stderr: string } {
  const sources = files.map((f) => `source '${f}'; `).join('');
  const prelude = `set -Eeuo pipefail; ROOT='${ROOT}'; DIST="$ROOT/dist"; source "$ROOT/lib/common.sh"; ${sources}`;
  const r = spawnSync('bash', ['-c', prelude + script], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/^\S+Z run-job: /gm, '') };
}

/** The fake runner layer's functions, each a complete definition. */
const FAKE: Record<string, string> = {
  usage: `fake_usage() {
  [[ $1 == section ]] || return 0
  printf '\\nFake runner (--runner fake):\\n  --fake-note TEXT         the first field of its one row\\n'
}`,
  parse_option: `fake_parse_option() {
  case $1 in
    --fake-note) need_value "$1" $#; FAKE_NOTE=$2; OPT_USED=2 ;;
    *) OPT_USED=0 ;;
  esac
}`,
  check_options: `fake_check_options() {
  [[ -z $FAKE_NOTE || $RUNNER == fake ]] || usage_error "--fake-note needs --runner fake"
}`,
  validate: `fake_validate() {
  log "fake: validate"
}`,
  cleanup: `fake_cleanup() {
  log "fake: cleanup"
}`,
  needs_result: `fake_needs_result() {
  return 0
}`,
  run: `fake_run() {
  printf '%s\\t%s\\t1\\n' "$FAKE_NOTE" "$1" >"$2/viewed_products.tsv"
  RESULT_FILE=$2/viewed_products.tsv
}`,
};

/** lib/fake.sh's text: every FAKE function but OMIT's, REPLACE's instead of its own. */
function fakeLayer(omit = '', replace: Record<string, string> = {}): string {
  const parts = Object.entries(FAKE)
    .filter(([name]) => name !== omit)
    .map(([name, text]) => replace[name] ?? text);
  return ['# shellcheck shell=bash', "FAKE_NOTE=''", ...parts, ''].join('\n');
}

const top = tmpDir('vp-contract-');
afterAll(() => fs.rmSync(top, { recursive: true, force: true }));

describe('the layers of run-job.sh', () => {
  const report = sh('./run-job.sh --check-contract');
  const roles = report.stdout
    .trimEnd()
    .split('\n')
    .map((line) => line.split('\t'));

  test('--check-contract lists each layer and its role, exit 0', () => {
    expect(report.code).toBe(0);
    expect(roles).toEqual([
      ['local', 'runner'],
      ['db', 'layer'],
      ['hadoop', 'runner'],
      ['emr', 'runner'],
    ]);
  });

  test.each(roles)('lib/%s.sh defines the functions of a %s', (layer, role) => {
    const wanted = role === 'runner' ? [...LAYER_FUNCTIONS, ...RUNNER_FUNCTIONS] : LAYER_FUNCTIONS;
    const r = bash('declare -F | cut -d" " -f3', [path.join(ROOT, 'lib', `${layer}.sh`)]);
    expect(r.code).toBe(0);
    const defined = new Set(r.stdout.split('\n'));
    expect(wanted.filter((f) => !defined.has(`${layer}_${f}`))).toEqual([]);
    // A layer is a runner exactly when it defines NAME_run.
    expect(defined.has(`${layer}_run`)).toBe(role === 'runner');
  });

  // Each parser sets OPT_USED to the words it took, 0 for any other option, whatever it was before.
  test.each([
    ['local', '--bytes-per-reducer 1000', 2],
    ['local', '--memory 2G', 2],
    ['local', '--s3 s3://b/p', 0],
    ['db', '--database shop', 2],
    ['db', '--force', 1],
    ['db', '--export-views x.tsv', 2],
    ['db', '--memory 2G', 0],
    ['hadoop', '--hadoop-conf /etc/hadoop', 2],
    ['hadoop', '--hdfs-dir /tmp/x', 2],
    ['hadoop', '--force', 0],
    ['emr', '--submit-only', 1],
    ['emr', '--s3 s3://b/p', 2],
    ['emr', '--database shop', 0],
  ])('%s_parse_option %s: OPT_USED %d', (layer, args, used) => {
    const r = bash(`OPT_USED=9; ${layer}_parse_option ${args} --input v; echo "$OPT_USED"`, [path.join(ROOT, 'lib', `${layer}.sh`)]);
    expect([r.code, r.stdout]).toEqual([0, `${used}\n`]);
  });
});

describe('contract_check (lib/contract.sh)', () => {
  function check(text: string): { code: number | null; stdout: string; stderr: string } {
    const file = path.join(top, 'check-fake.sh');
    fs.writeFileSync(file, text);
    return bash('contract_check local fake', [path.join(ROOT, 'lib', 'local.sh'), file]);
  }

  test('a complete fake runner passes', () => {
    expect(check(fakeLayer())).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test.each([...LAYER_FUNCTIONS, ...RUNNER_FUNCTIONS])('a fake runner without fake_%s is caught', (omit) => {
    expect(check(fakeLayer(omit))).toEqual({ code: 1, stdout: `fake_${omit}\n`, stderr: '' });
  });

  test('a layer without the runner functions is no runner, and needs only the layer functions', () => {
    const layer = fakeLayer('run').replace(FAKE.needs_result, '');
    expect(check(layer)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(check(layer.replace(FAKE.validate, ''))).toEqual({ code: 1, stdout: 'fake_validate\n', stderr: '' });
  });
});

describe('a fake runner added to a copy of run-job.sh', () => {
  const copy = path.join(top, 'repo');
  const data = path.join(top, 'data');
  const views = path.join(data, 'views.tsv');

  beforeAll(() => {
    fs.mkdirSync(path.join(copy, 'lib'), { recursive: true });
    for (const f of fs.readdirSync(path.join(ROOT, 'lib'))) fs.copyFileSync(path.join(ROOT, 'lib', f), path.join(copy, 'lib', f));
    fs.symlinkSync(path.join(ROOT, 'dist'), path.join(copy, 'dist'));
    const script = fs.readFileSync(path.join(ROOT, 'run-job.sh'), 'utf8');
    const layers = 'readonly LAYERS=(local db hadoop emr)\n';
    const lastSource = 'source "$ROOT/lib/emr.sh"\n';
    expect(script).toContain(layers);
    expect(script).toContain(lastSource);
    const patched = script
      .replace(layers, 'readonly LAYERS=(local db hadoop emr fake)\n')
      .replace(lastSource, `${lastSource}source "$ROOT/lib/fake.sh"\n`);
    fs.writeFileSync(path.join(copy, 'run-job.sh'), patched, { mode: 0o755 });
    fs.mkdirSync(data);
    fs.writeFileSync(views, 'u1\ta\nu1\tb\n');
  });

  /** Runs the copy with lib/fake.sh as TEXT. */
  function run(text: string, args: string): { code: number; stdout: string; stderr: string } {
    fs.writeFileSync(path.join(copy, 'lib', 'fake.sh'), text);
    const r = sh(`'${copy}/run-job.sh' ${args}`);
    return { ...r, stderr: r.stderr.replace(/^\S+Z run-job: /gm, '') };
  }

  test('complete: it is a runner, its help section follows the others and --runner names it', () => {
    expect(run(fakeLayer(), '--check-contract').stdout).toBe('local\trunner\ndb\tlayer\nhadoop\trunner\nemr\trunner\nfake\trunner\n');
    const help = sh('./run-job.sh --help').stdout;
    const expected = help
      .replace('--runner local|hadoop|emr  where', '--runner local|hadoop|emr|fake  where')
      .replace('\nExamples:\n', '\nFake runner (--runner fake):\n  --fake-note TEXT         the first field of its one row\n\nExamples:\n');
    expect(expected).not.toBe(help);
    expect(run(fakeLayer(), '--help')).toEqual({ code: 0, stdout: expected, stderr: '' });
    const bad = run(fakeLayer(), `--runner nope --input '${views}' --output '${data}/out'`);
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([2, 'run-job: --runner must be local, hadoop, emr or fake']);
  });

  test('complete: --runner fake runs it (its option, validate, run and cleanup) and writes its result', () => {
    const out = path.join(data, 'out');
    const r = run(fakeLayer(), `--runner fake --fake-note hello --input '${views}' --output '${out}'`);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(path.join(out, 'viewed_products.tsv'), 'utf8')).toBe(`hello\t${views}\t1\n`);
    const lines = r.stderr.split('\n');
    expect(lines.indexOf('fake: validate')).toBeGreaterThanOrEqual(0);
    expect(lines.indexOf('fake: cleanup')).toBeGreaterThan(lines.indexOf(`wrote ${out}/viewed_products.tsv`));
  });

  test("complete: its options are checked whatever the runner; its cleanup runs after another runner's run", () => {
    const refused = run(fakeLayer(), `--fake-note hello --input '${views}' --output '${data}/out2'`);
    expect([refused.code, refused.stderr.split('\n')[0]]).toEqual([2, 'run-job: --fake-note needs --runner fake']);
    const local = run(fakeLayer(), `--input '${views}' --output '${data}/out3'`);
    expect(local.code).toBe(0);
    expect(local.stderr).toContain('\nfake: cleanup\n');
    expect(local.stderr).not.toContain('fake: validate');
  });

  test.each([...LAYER_FUNCTIONS, ...RUNNER_FUNCTIONS])('without fake_%s: every run stops before it starts, exit 1', (omit) => {
    for (const args of ['--check-contract', '--help', `--runner local --input '${views}' --output '${data}/out4'`]) {
      const r = run(fakeLayer(omit), args);
      expect(r).toEqual({
        code: 1,
        stdout: '',
        stderr: `ERROR: the layers lack functions of the runner contract (docs/runners.md): fake_${omit}\n`,
      });
    }
    expect(fs.existsSync(path.join(data, 'out4'))).toBe(false);
  });

  test('a parser that leaves OPT_USED unset stops the run, naming it', () => {
    const lax = fakeLayer('', { parse_option: 'fake_parse_option() {\n  [[ $1 != --fake-note ]] || FAKE_NOTE=$2\n}' });
    const r = run(lax, `--input '${views}' --fake-note x --output '${data}/out5'`);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("ERROR: fake_parse_option set OPT_USED to '' for --fake-note, not a count of its 4 words (docs/runners.md)\n");
  });
});
