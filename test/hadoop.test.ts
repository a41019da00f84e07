/**
 * The job on real Hadoop Streaming (Hadoop's LocalJobRunner, 3 reducers),
 * compared byte for byte with the local runner; counters read back from
 * Hadoop's job counters; a failing reducer fails the job and the run.
 *
 * Needs an installed Hadoop or java + mvn (for `npm run setup:hadoop`); skips
 * with a visible reason without them, except under CI=true, where it fails.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST, ROOT, dataViews, facts, sh, tmpDir } from './helpers/exec';

const CI = process.env.CI === 'true';
const REDUCERS = 3;
const SLOW = 600_000;

function has(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/** Why the Hadoop tests cannot run here, or null when they can. */
function missingTools(): string | null {
  const installed = has('hadoop', ['version']) || (process.env.HADOOP_HOME ?? '') !== '';
  if (installed) return null;
  const missing = [];
  if (!has('java', ['-version'])) missing.push('java');
  if (!has('mvn', ['-v'])) missing.push('mvn');
  return missing.length === 0 ? null : `no Hadoop installed and ${missing.join(' and ')} not found (npm run setup:hadoop needs java and mvn)`;
}

/** Splits the NUL-terminated arguments job-plan.js prints. */
function planArgs(args: string[]): string[] {
  const r = spawnSync(process.execPath, [path.join(DIST, 'job-plan.js'), 'hadoop-args', ...args], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`job-plan.js failed: ${r.stderr}`);
  expect(r.stdout.endsWith('\0')).toBe(true);
  return r.stdout.slice(0, -1).split('\0');
}

/** -D values of an argument list, in order. */
function jobconf(args: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-D') {
      const kv = args[++i];
      const eq = kv.indexOf('=');
      m.set(kv.slice(0, eq), kv.slice(eq + 1));
    }
  }
  return m;
}

function option(args: string[], name: string): string[] {
  return args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
}

describe('hadoop-args: streaming arguments rendered from src/job/phases.ts', () => {
  const io = ['--input', '/in/a', '--input', '/in/b', '--base', '/out', '--files-dir', 'dist', '--reducers', '3'];

  test('generic options come first, bundles ship with -files and run from the task directory', () => {
    for (const phase of ['1', '2']) {
      const args = planArgs(['--phase', phase, ...io]);
      let firstStreaming = 0;
      while (args[firstStreaming] === '-D' || args[firstStreaming] === '-files') firstStreaming += 2;
      expect(args[firstStreaming]).toBe('-input');
      const rest = args.slice(firstStreaming);
      expect(rest).not.toContain('-D');
      expect(rest).not.toContain('-files');
      const files = option(args, '-files');
      expect(files).toHaveLength(1);
      const shipped = files[0].split(',');
      for (const f of shipped) expect(f).toBe(path.join(ROOT, 'dist', path.basename(f)));
      for (const cmd of [...option(args, '-mapper'), ...option(args, '-reducer'), ...option(args, '-combiner')]) {
        const [node, bundle] = cmd.split(' ');
        expect(node).toBe('node');
        expect(bundle).not.toContain('/');
        expect(shipped.map((f) => path.basename(f))).toContain(bundle);
      }
      // The views phase reads the views, phase 2 what it wrote; each writes its own folder.
      expect(option(args, '-input')).toEqual(phase === '1' ? ['/in/a', '/in/b'] : ['/out/phase1']);
      expect(option(args, '-output')).toEqual([`/out/phase${phase}`]);
    }
  });

  test('phase 1: key = path id, N reducers, path cap and combining switch passed on', () => {
    const args = planArgs(['--phase', '1', ...io, '--max-path-products', '7', '--no-combine']);
    const conf = jobconf(args);
    expect(conf.get('mapreduce.job.reduces')).toBe('3');
    expect(conf.get('stream.num.map.output.key.fields')).toBe('1');
    expect(conf.get('mapred.partitioner.class')).toBe('org.apache.hadoop.mapred.lib.HashPartitioner');
    expect(conf.get('mapreduce.job.output.key.comparator.class')).toBe('org.apache.hadoop.io.Text$Comparator');
    // Phase 1's mapper checks the views, as the local runner's does (the same definition).
    expect(option(args, '-mapper')).toEqual(['node identity-mapper.js --views']);
    expect(option(args, '-reducer')).toEqual(['node pairs-reducer.js --max-path-products=7 --no-combine']);
    expect(option(args, '-combiner')).toEqual([]);
  });

  test('phase 2: key = source<TAB>target, the reducer doubles as combiner', () => {
    const args = planArgs(['--phase', '2', ...io]);
    const conf = jobconf(args);
    expect(conf.get('mapreduce.job.reduces')).toBe('3');
    expect(conf.get('stream.num.map.output.key.fields')).toBe('2');
    expect(conf.get('stream.num.reduce.output.key.fields')).toBe('2');
    expect(conf.get('mapred.partitioner.class')).toBe('org.apache.hadoop.mapred.lib.HashPartitioner');
    expect(option(args, '-reducer')).toEqual(['node sum-reducer.js']);
    expect(option(args, '-combiner')).toEqual(['node sum-reducer.js --role=combiner']);
  });
});

describe('lib/hadoop.sh reads the job counters from the Hadoop client log', () => {
  test('only the job block, group viewed_products; task blocks and other groups ignored', () => {
    const dir = tmpDir('vp-hadoop-log-');
    try {
      const log = path.join(dir, 'phase1.log');
      fs.writeFileSync(
        log,
        [
          '2026-01-01 00:00:00,000 INFO mapred.Task: Final Counters for attempt_local1_0001_r_000000_0: Counters: 2',
          '\tviewed_products',
          '\t\tpaths=5',
          '2026-01-01 00:00:01,000 INFO org.apache.hadoop.mapreduce.Job: Job job_local1_0001 completed successfully',
          // an installed Hadoop logs the full class name
          '2026-01-01 00:00:01,000 INFO org.apache.hadoop.mapreduce.Job: Counters: 4',
          '\tMap-Reduce Framework',
          '\t\tMap input records=12',
          '\tviewed_products',
          '\t\tmap_lines=12',
          '\t\tpaths=7',
          '\tFile Output Format Counters ',
          '\t\tBytes Written=60',
          '2026-01-01 00:00:01,000 INFO org.apache.hadoop.streaming.StreamJob: Output directory: x',
        ].join('\n') + '\n',
      );
      const r = sh(
        `ROOT=. DIST=dist; source lib/common.sh; source lib/hadoop.sh; WORK_DIR='${dir}'; : >"$WORK_DIR/counters.tsv"; ` +
          `hadoop_job_counters '${log}' 1; cat "$WORK_DIR/counters.tsv"`,
      );
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('1\tmap_lines\t12\n1\tpaths\t7\n');
      fs.writeFileSync(log, 'Streaming Command Failed!\n');
      const none = sh(`ROOT=. DIST=dist; source lib/common.sh; source lib/hadoop.sh; WORK_DIR='${dir}'; hadoop_job_counters '${log}' 2`);
      expect(none.code).toBe(20);
      expect(none.stderr).toContain('phase 2: no job counters');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------

/** A views file full of bad lines, with the counts each skip reason must get. */
function badLinesFile(dir: string): string {
  const lines: Buffer[] = [
    'path_id\tproduct_id', // header: skipped silently (header_lines)
    'p1\ta', 'p1\tb', 'p1\tc', 'p2\ta', 'p2\tb', 'p1\ta', // p1 a twice: one repeated view
    'p3\tb\r', 'p3\ta\r', // CRLF lines
    // ids ordered differently by key and by whole line (bytes below TAB):
    // Hadoop's part files are not in whole-line order, the final sort must fix it
    'p4\ta', 'p4\tb', 'p4\tb\x01', 'p4\tb\x01\x01', 'p4\tb\x01\x01\x01',
    'p6\ta\tb', 'a\tb\tc\td', '', 'no-tab-line', // wrong field count: 4 (two hold no TAB)
    '\ta', 'p6\t', // empty field: 2
    'NULL\ta', 'p7\tNULL', // NULL id: 2
    `p8\t${'x'.repeat(1_100_000)}`, // too long (over 1 MiB): 1
  ].map((s) => Buffer.from(s, 'latin1'));
  lines.push(Buffer.from([0x70, 0x35, 0x09, 0xff, 0xfe]), Buffer.from('p5\ta')); // non-UTF-8 id survives
  for (let i = 0; i <= 1000; i++) lines.push(Buffer.from(`big\t${i}`)); // 1001 products: capped
  lines.push(Buffer.from('p2\tc')); // last line without newline
  const file = path.join(dir, 'bad-lines.tsv');
  fs.writeFileSync(file, Buffer.concat(lines.flatMap((l, i) => (i === 0 ? [l] : [Buffer.from('\n'), l]))));
  return file;
}

const BAD_LINE_COUNTERS: Record<string, number> = {
  header_lines: 1,
  duplicate_views: 1,
  skipped_wrong_field_count: 4,
  skipped_empty_field: 2,
  skipped_null_id: 2,
  skipped_too_long: 1,
  capped_paths: 1,
};

interface Run {
  code: number;
  stderr: string;
  work: string;
  out: string;
  /** counters.tsv as "phase/name" -> value. */
  counters: Map<string, number>;
}

function runJob(runner: 'local' | 'hadoop', input: string, dir: string, env: NodeJS.ProcessEnv = {}, extra = ''): Run {
  const work = path.join(dir, `${runner}-work`);
  const out = path.join(dir, `${runner}-out`);
  const r = sh(
    `./run-job.sh --runner ${runner} --input '${input}' --output '${out}' --reducers ${REDUCERS} --work-dir '${work}' ${extra}`,
    env,
  );
  const counters = new Map<string, number>();
  const file = path.join(work, 'counters.tsv');
  if (fs.existsSync(file)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
      const [phase, name, value] = line.split('\t');
      counters.set(`${phase}/${name}`, (counters.get(`${phase}/${name}`) ?? 0) + Number(value));
    }
  }
  return { code: r.code, stderr: r.stderr, work, out, counters };
}

/** The viewed_products group of the job counters block in a Hadoop client log. */
function hadoopLogCounters(log: string): Map<string, number> {
  const text = fs.readFileSync(log, 'latin1');
  const start = text.search(/mapreduce\.Job: Counters: \d+/);
  expect(start).toBeGreaterThanOrEqual(0);
  const block = text.slice(start).split('\n').slice(1);
  const out = new Map<string, number>();
  let group = '';
  for (const line of block) {
    if (!line.startsWith('\t')) break;
    if (!line.startsWith('\t\t')) group = line.trim();
    else if (group === 'viewed_products') {
      const [name, value] = line.trim().split('=');
      out.set(name, Number(value));
    }
  }
  return out;
}

function phaseCounters(run: Run, phase: string): Record<string, number> {
  return Object.fromEntries([...run.counters].filter(([k]) => k.startsWith(`${phase}/`)).map(([k, v]) => [k.slice(2), v]));
}

/** True when every file's lines are in LC_ALL=C order. */
function linesSorted(file: string): boolean {
  return sh(`LC_ALL=C sort -c '${file}' 2>/dev/null`).code === 0;
}

const missing = missingTools();
const describeHadoop = missing !== null && !CI ? describe.skip : describe;
if (missing !== null && !CI) {
  // Visible in the jest output: why these tests did not run.
  console.warn(`Hadoop tests skipped: ${missing}`);
}

describeHadoop(`real Hadoop Streaming, ${REDUCERS} reducers${missing !== null && !CI ? ` (skipped: ${missing})` : ''}`, () => {
  let dir = '';

  beforeAll(() => {
    if (missing !== null) throw new Error(`CI=true and Hadoop cannot run: ${missing}`);
    const setup = sh('bash tools/setup-hadoop.sh --no-check');
    if (setup.code !== 0) throw new Error(`npm run setup:hadoop failed:\n${setup.stderr}`);
    dir = tmpDir('vp-hadoop-');
  }, SLOW);

  afterAll(() => {
    if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs both runners on INPUT; checks they agree and returns the Hadoop run. */
  function bothRunners(name: string, input: string, extra = ''): { local: Run; hadoop: Run } {
    const d = path.join(dir, name);
    fs.mkdirSync(d, { recursive: true });
    const local = runJob('local', input, d, {}, extra);
    expect(local.stderr).toContain('summary:');
    expect(local.code).toBe(0);
    const hadoop = runJob('hadoop', input, d, {}, extra);
    if (hadoop.code !== 0) throw new Error(`hadoop runner failed:\n${hadoop.stderr.slice(-4000)}`);
    const a = fs.readFileSync(path.join(local.out, 'viewed_products.tsv'));
    const b = fs.readFileSync(path.join(hadoop.out, 'viewed_products.tsv'));
    expect(b.length).toBeGreaterThan(0);
    expect(b.equals(a)).toBe(true);
    // Phase 1 counters are deterministic: Hadoop's equal the local runner's.
    expect(phaseCounters(hadoop, '1')).toEqual(phaseCounters(local, '1'));
    expect(hadoop.counters.get('2/result_rows_out')).toBe(local.counters.get('2/result_rows_out'));
    // ...and they are Hadoop's job counters, as its client printed them.
    const logged = hadoopLogCounters(path.join(hadoop.work, 'hadoop', 'phase1.log'));
    expect(Object.fromEntries(logged)).toEqual(phaseCounters(hadoop, '1'));
    // The phase-2 reducer ran as combiner too.
    expect(hadoop.counters.get('2/combine_rows_in')).toBeGreaterThan(0);
    return { local, hadoop };
  }

  test('MovieLens 100K: identical to the local runner, and the known facts', () => {
    const { hadoop } = bothRunners('movielens', dataViews('movielens', dir));
    expect(facts(path.join(hadoop.out, 'viewed_products.tsv'))).toEqual({ rows: 1_966_412, sum: 20_100_812 });
    expect(hadoop.counters.get('1/pairs')).toBe(20_100_812);
    expect(hadoop.counters.get('1/map_lines')).toBe(100_000);
  }, SLOW);

  /** Each phase-2 part's lines, sorted: which reducer got which source (the partitioner). */
  function phase2Parts(work: string): string[] {
    return Array.from({ length: REDUCERS }, (_, i) => sh(`LC_ALL=C sort '${work}/part-${String(i).padStart(5, '0')}'`).stdout);
  }

  test('MovieLens --score llr --top 20: identical to the local runner, every source in the same reducer (KeyFieldBasedPartitioner -k1,1)', () => {
    const { local, hadoop } = bothRunners('movielens-llr', dataViews('movielens', dir), '--score llr --top 20');
    expect(Number(sh(`wc -l < '${path.join(hadoop.out, 'viewed_products.tsv')}'`).stdout.trim())).toBe(local.counters.get('2/list_rows_out'));
    expect(local.counters.get('2/list_rows_out')).toBeGreaterThan(30_000);
    expect(phase2Parts(path.join(hadoop.work, 'hadoop', 'phase2'))).toEqual(phase2Parts(path.join(local.work, 'phase2')));
  }, SLOW);

  test('ids that are not UTF-8, --score cosine --top 2: the local partitioner sends each source where Hadoop does', () => {
    const file = path.join(dir, 'odd-ids.tsv');
    const ids = ['\xff', 'caf\xc3\xa9', '\xe2\x82', '\xed\xa0\x80', '\xc0\xaf', 'a\xf0\x9f\x98\x80', '\xf8\x88', 'x', '\xe0\x80\xaf', 'b\xf0\x9f\x98', '\xf5\x80\x80\x80', '\xf0\x80\x80\x80'];
    const lines: string[] = [];
    for (let p = 0; p < 60; p++) for (let k = 0; k < 4; k++) lines.push(`p${p}\t${ids[(p * 3 + k * 5) % ids.length]}${p % 7}`);
    fs.writeFileSync(file, Buffer.from(`${lines.join('\n')}\n`, 'latin1'));
    const { local, hadoop } = bothRunners('odd-ids', file, '--score cosine --top 2');
    const parts = phase2Parts(path.join(local.work, 'phase2'));
    expect(parts.filter((p) => p !== '').length).toBeGreaterThan(1);
    expect(phase2Parts(path.join(hadoop.work, 'hadoop', 'phase2'))).toEqual(parts);
  }, SLOW);

  test('Diginetica sample: identical to the local runner, and the known facts', () => {
    const { hadoop } = bothRunners('diginetica', dataViews('diginetica', dir));
    expect(facts(path.join(hadoop.out, 'viewed_products.tsv'))).toEqual({ rows: 59_750, sum: 61_252 });
  }, SLOW);

  test('bad lines: identical output, skipped lines in Hadoop counters with the right values', () => {
    const { hadoop } = bothRunners('bad', badLinesFile(dir));
    const c = phaseCounters(hadoop, '1');
    for (const [name, value] of Object.entries(BAD_LINE_COUNTERS)) expect([name, c[name]]).toEqual([name, value]);
    // The summary printed by run-job.sh shows the same numbers.
    expect(hadoop.stderr).toMatch(/skipped lines +9: wrong field count 4, empty field 2, NULL id 2, too long 1/);
    // The fixture's ids really put Hadoop's part files out of whole-line order.
    const parts = fs.readdirSync(path.join(hadoop.work, 'hadoop', 'phase2')).filter((f) => f.startsWith('part-'));
    expect(parts).toHaveLength(REDUCERS);
    expect(parts.some((p) => !linesSorted(path.join(hadoop.work, 'hadoop', 'phase2', p)))).toBe(true);
    expect(linesSorted(path.join(hadoop.out, 'viewed_products.tsv'))).toBe(true);
  }, SLOW);

  /** A `node` first on PATH for the tasks: changes how one bundle runs, then runs the real node. */
  function nodeWrapper(name: string, body: string): NodeJS.ProcessEnv {
    const bin = path.join(dir, name);
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'node'), `#!/bin/sh\n${body}\nexec "$REAL_NODE" "$@"\n`, { mode: 0o755 });
    return { PATH: `${bin}:${process.env.PATH ?? ''}`, REAL_NODE: process.execPath };
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
