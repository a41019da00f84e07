/**
 * The job on real Hadoop Streaming (Hadoop's LocalJobRunner): the bundles run
 * as the copies Hadoop shipped; input that is not views, and a failing reducer
 * in either phase, fail the job and the run with the right exit and message;
 * the log of a failing phase is kept where the error says.
 *
 * Needs an installed Hadoop or java + mvn (for `npm run setup:hadoop`); skips
 * with a visible reason without them, except under CI=true, where it fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, sh, tmpDir } from './helpers/exec';
import { SLOW, badLinesFile, hadoopReady, nodeWrapperIn, runJob } from './helpers/hadoop-job';
import { describeIf } from './helpers/suite';
import { missingHadoop } from './helpers/tools';

describeIf(missingHadoop(), 'real Hadoop Streaming: shipped bundles and failures', () => {
  let dir = '';

  beforeAll(async () => {
    await hadoopReady();
    dir = tmpDir('vp-hadoop-');
  }, SLOW);

  afterAll(() => {
    if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A `node` first on PATH for the tasks: changes how one bundle runs, then runs the real node. */
  function nodeWrapper(name: string, body: string): NodeJS.ProcessEnv {
    return nodeWrapperIn(dir, name, body);
  }

  test('the bundles run as the copies Hadoop shipped with -files, from the task working directory', () => {
    const where = path.join(dir, 'where.log');
    const env = nodeWrapper(
      'where-bin',
      `case "$1" in *.js) printf '%s\\t%s\\t%s\\n' "$PWD" "$1" "$(readlink -f "$1")" >>'${where}' ;; esac`,
    );
    const views = path.join(dir, 'small.tsv');
    fs.writeFileSync(views, 'p1\ta\np1\tb\np2\ta\np2\tb\np2\tc\n');
    const r = runJob('hadoop', views, path.join(dir, 'where'), env);
    expect(r.code).toBe(0);
    const calls = fs.readFileSync(where, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t'));
    const tasks = calls.filter(([cwd]) => cwd.startsWith(r.work));
    const bundles = new Set(tasks.map(([, arg]) => arg));
    expect([...bundles].sort()).toEqual(['identity-mapper.js', 'pairs-reducer.js', 'sum-reducer.js']);
    for (const [cwd, , real] of tasks) {
      expect(cwd).toMatch(/\/hadoop\/phase[12]-task$/);
      expect(real.startsWith(path.join(r.work, 'hadoop', 'tmp'))).toBe(true); // Hadoop's localized copy
      expect(real.startsWith(ROOT)).toBe(false);
    }
  }, SLOW);


  test('input that is not views fails with exit 60, as locally; warnings name the file and line', () => {
    const csv = path.join(dir, 'views.csv');
    fs.writeFileSync(csv, 'session_id;item_id\n1;a\n1;b\n2;a\n');
    const r = runJob('hadoop', csv, path.join(dir, 'not-views'));
    expect(r.code).toBe(60);
    expect(r.stderr).toMatch(/ERROR: no valid views in .*views\.csv \(4 of 4 lines skipped: wrong field count 4\); its lines hold no TAB and look ';'-separated/);
    // The user's path, not the run's input link (file:WORK/hadoop/input/00000-views.csv), gone at exit.
    expect(r.stderr).toContain(`identity-mapper: ${csv}:2: bad view (no TAB): "1;a"`);
    expect(r.stderr).not.toMatch(/hadoop\/input\//);
    expect(fs.existsSync(r.out)).toBe(false);
  }, SLOW);


  test('a phase-1 reducer that exits non-zero fails the job and the run (exit 20)', () => {
    // (Phase 1's mapper drops bad lines, so --strict would find none: the reducer fails as phase 2's does below.)
    const env = nodeWrapper(
      'exit1-bin',
      'if [ "$1" = pairs-reducer.js ]; then cat >/dev/null; echo "pairs-reducer: simulated crash" >&2; exit 5; fi',
    );
    const d = path.join(dir, 'fail1');
    const r = runJob('hadoop', badLinesFile(dir), d, env);
    expect(r.code).toBe(20);
    expect(r.stderr).toMatch(/phase 1 failed: Hadoop job \(exit \d+\): reducer subprocess failed with code [1-9]/);
    expect(fs.existsSync(path.join(r.out, 'viewed_products.tsv'))).toBe(false);
  }, SLOW);


  test('a phase-2 reducer that exits non-zero fails the job and the run (exit 20)', () => {
    const env = nodeWrapper(
      'exit-bin',
      'if [ "$1" = sum-reducer.js ] && [ "$#" = 1 ]; then cat >/dev/null; echo "sum-reducer: simulated crash" >&2; exit 7; fi',
    );
    const d = path.join(dir, 'fail2');
    const views = path.join(dir, 'fail2.tsv');
    fs.writeFileSync(views, 'p1\ta\np1\tb\np2\ta\np2\tc\n');
    const r = runJob('hadoop', views, d, env);
    expect(r.code).toBe(20);
    expect(r.stderr).toMatch(/phase 2 failed: Hadoop job \(exit \d+\): reducer subprocess failed with code 7/);
    expect(r.stderr).toContain('sum-reducer: simulated crash');
    expect(fs.existsSync(path.join(r.out, 'viewed_products.tsv'))).toBe(false);
  }, SLOW);


  test('without a kept work directory, a failing phase keeps its log where the error says; a run that works names no log', () => {
    const views = path.join(dir, 'logs.tsv');
    fs.writeFileSync(views, 'p1\ta\np1\tb\np2\ta\np2\tc\n');
    // TMPDIR of its own: the temporary work directory and the kept logs land there.
    const tmpFail = path.join(dir, 'tmp-fail');
    const tmpOk = path.join(dir, 'tmp-ok');
    fs.mkdirSync(tmpFail);
    fs.mkdirSync(tmpOk);
    const crash = nodeWrapper('crash-bin', 'if [ "$1" = sum-reducer.js ]; then cat >/dev/null; echo "sum-reducer: simulated crash" >&2; exit 7; fi');
    const job = (out: string): string => `./run-job.sh --runner hadoop --input '${views}' --output '${path.join(dir, out)}' --reducers 1`;
    const failed = sh(job('logs-fail'), { ...crash, TMPDIR: tmpFail });
    expect(failed.code).toBe(20);
    const named = /phase 2 failed: .*\(log: (\S+)\)$/m.exec(failed.stderr)?.[1] ?? '';
    expect(named).toMatch(new RegExp(`^${tmpFail}/viewed-products-logs\\.[^/]+/phase2\\.log$`));
    expect(fs.readFileSync(named, 'utf8')).toContain('sum-reducer: simulated crash');
    expect(failed.stderr).toContain(`last lines of ${named}:`);
    // The work directory itself is gone; only the logs folder stays.
    expect(fs.readdirSync(tmpFail)).toEqual([path.basename(path.dirname(named))]);

    const ok = sh(job('logs-ok'), { TMPDIR: tmpOk });
    expect(ok.code).toBe(0);
    expect(ok.stderr).not.toMatch(/log in /);
    expect(ok.stderr).toMatch(/phase 1: Hadoop Streaming job \(1 reducer\(s\)\), log kept on failure or with --keep-work/);
    expect(fs.readdirSync(tmpOk)).toEqual([]);
  }, SLOW);
});
