// The benchmark (`npm run bench`): our executables and the whole job against
// their peers on the real data in ../shared/data, plus a scaling run.
// Writes bench/RESULTS.md and bench/scaling.svg. See bench/README.md.
//
//   npm run bench -- [--runs N] [--slow-runs N] [--job-runs N] [--db-runs N]
//                    [--scale-runs N] [--scales 1,2,4,...] [--only exec,job,scale]
//                    [--skip NAME,...] [--data DIR] [--out FILE] [--notes FILE] [--keep]
import { spawnSync, type StdioOptions } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { chartSvg, type Series } from './chart';
import { expectedPairs, parseDiginetica, resample, type Session } from './scaledata';

const ROOT = resolve(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const PEERS = join(ROOT, 'bench', 'peers');
const DUCKDB_JOB = join(ROOT, '.cache', 'bench', 'peers', 'duckdb-job.js');

// Facts of the data sets (../shared/data/README.md).
const MOVIELENS = { rows: 1_966_412, sum: 20_100_812 };
const DIGINETICA = { rows: 59_750, sum: 61_252 };

const GOAL_REDUCER_RATIO = 1.5;
const GOAL_RSS_MB = 200;
const GOAL_JOB_RATIOS: Record<string, number> = { DuckDB: 3, MariaDB: 20, mrjob: 5 };

interface Options {
  runs: number;
  slowRuns: number;
  jobRuns: number;
  dbRuns: number;
  scaleRuns: number;
  scales: number[];
  only: Set<string>;
  skip: Set<string>;
  data: string;
  out: string | undefined;
  notes: string | undefined;
  keep: boolean;
}

const USAGE = `Usage: npm run bench -- [options]
  --runs N         timed runs of each fast executable (ours, C)          default 5
  --slow-runs N    timed runs of the Python and Ruby reducers            default 3
  --job-runs N     timed runs of the whole job (ours) and DuckDB         default 3
  --db-runs N      timed runs of MariaDB and mrjob (slow)                default 1
  --scale-runs N   timed runs per scaling point                          default 3
  --scales LIST    scaling factors of the Diginetica sample              default 1,2,4,...,256
  --only LIST      sections to run: exec,job,scale                       default all
  --skip LIST      peers to leave out: python,ruby,c,duckdb,mariadb,mrjob
  --data DIR       the real data                                         default ../shared/data
  --out FILE       results file (default bench/RESULTS.md when all sections run)
  --notes FILE     also write the results to FILE
  --keep           keep the scratch directory`;

function parseOptions(argv: string[]): Options {
  const o: Options = {
    runs: 5,
    slowRuns: 3,
    jobRuns: 3,
    dbRuns: 1,
    scaleRuns: 3,
    scales: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    only: new Set(['exec', 'job', 'scale']),
    skip: new Set(),
    data: resolve(ROOT, '..', 'shared', 'data'),
    out: undefined,
    notes: undefined,
    keep: false,
  };
  let onlyGiven = false;
  const int = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < 1) fail(`${name} needs a positive integer`);
    return n;
  };
  const list = (v: string | undefined): string[] => (v ?? '').split(',').filter((s) => s !== '');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (eq > 0 ? a.slice(eq + 1) : argv[++i]);
    switch (name) {
      case '--runs': o.runs = int(name, value()); break;
      case '--slow-runs': o.slowRuns = int(name, value()); break;
      case '--job-runs': o.jobRuns = int(name, value()); break;
      case '--db-runs': o.dbRuns = int(name, value()); break;
      case '--scale-runs': o.scaleRuns = int(name, value()); break;
      case '--scales': o.scales = list(value()).map((s) => int(name, s)); break;
      case '--only': o.only = new Set(list(value())); onlyGiven = true; break;
      case '--skip': o.skip = new Set(list(value())); break;
      case '--data': o.data = resolve(value() ?? fail('--data needs a directory')); break;
      case '--out': o.out = resolve(value() ?? fail('--out needs a file')); break;
      case '--notes': o.notes = resolve(value() ?? fail('--notes needs a file')); break;
      case '--keep': o.keep = true; break;
      case '-h':
      case '--help': process.stdout.write(`${USAGE}\n`); process.exit(0); break;
      default: fail(`unknown option ${a}\n${USAGE}`);
    }
  }
  for (const s of o.only) if (!['exec', 'job', 'scale'].includes(s)) fail(`unknown section ${s}`);
  if (o.out === undefined && !onlyGiven) o.out = join(ROOT, 'bench', 'RESULTS.md');
  return o;
}

function fail(msg: string): never {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(2);
}

function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

// ---------------------------------------------------------------- measuring

interface Sample {
  wall: number; // seconds
  rssKB: number; // peak RSS (largest process of the tree), GNU time %M
  cpu: number; // user + system seconds of the whole process tree, GNU time %U + %S
}

interface RunSpec {
  cmd: string[];
  stdin?: string;
  stdout?: string; // file; default /dev/null
  cwd?: string;
}

let WORK = '';
const LOADS: number[] = [];

/**
 * Every timed process's environment. NODE_EXTRA_CA_CERTS is left out: with it
 * Node 20 parses the CA bundle at every start (~50 ms), for processes that never
 * open a TLS connection (run-job.sh drops it for its processes too).
 */
function benchEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** The 1-minute load average now (also remembered for the results header). */
function load(): string {
  const l = loadavg()[0] ?? 0;
  LOADS.push(l);
  return l.toFixed(1);
}

/** Runs cmd under GNU time: wall time (hrtime around the run) and peak RSS. */
function runOnce(spec: RunSpec): Sample {
  const timeFile = join(WORK, 'time.out');
  const errFile = join(WORK, 'stderr.log');
  const fds: number[] = [];
  const open = (p: string, flags: string): number => {
    const fd = openSync(p, flags);
    fds.push(fd);
    return fd;
  };
  const stdio: StdioOptions = [
    spec.stdin !== undefined ? open(spec.stdin, 'r') : 'ignore',
    open(spec.stdout ?? '/dev/null', 'w'),
    open(errFile, 'w'),
  ];
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, ...spec.cmd], {
    stdio,
    cwd: spec.cwd ?? WORK,
    env: benchEnv(),
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  for (const fd of fds) closeSync(fd);
  if (r.error !== undefined || r.status !== 0) {
    const err = readFileSync(errFile, 'utf8').split('\n').slice(-15).join('\n');
    throw new Error(`${spec.cmd.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${err}`);
  }
  const [rss, user, sys] = (readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { wall, rssKB: rss ?? NaN, cpu: (user ?? NaN) + (sys ?? NaN) };
}

interface Stats {
  runs: number;
  median: number;
  min: number;
  max: number;
  rssMB: number; // max over runs
  cpu: number; // median user+sys seconds
}

function medianOf(xs: number[]): number {
  const w = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(w.length / 2);
  return w.length % 2 === 1 ? (w[mid] as number) : ((w[mid - 1] as number) + (w[mid] as number)) / 2;
}

function stats(samples: Sample[]): Stats {
  const w = samples.map((s) => s.wall).sort((a, b) => a - b);
  return {
    runs: w.length,
    median: medianOf(w),
    cpu: medianOf(samples.map((s) => s.cpu)),
    min: w[0] as number,
    max: w[w.length - 1] as number,
    rssMB: Math.max(...samples.map((s) => s.rssKB)) / 1024,
  };
}

/** First run writes `output` (for verification by the caller); all runs are timed. */
function bench(label: string, runs: number, spec: RunSpec, before?: () => void): { stats: Stats; samples: Sample[] } {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    const s = runOnce(i === 0 ? spec : { ...spec, stdout: spec.stdout === undefined ? undefined : `${spec.stdout}.rerun` });
    samples.push(s);
    log(`  ${label} run ${i + 1}/${runs}: ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} s cpu, ${(s.rssKB / 1024).toFixed(1)} MB (load ${load()})`);
  }
  if (spec.stdout !== undefined) rmSync(`${spec.stdout}.rerun`, { force: true });
  return { stats: stats(samples), samples };
}

function sh(script: string, cwd = WORK): string {
  const r = spawnSync('bash', ['-c', `set -Eeuo pipefail\n${script}`], {
    cwd,
    env: benchEnv(),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`shell step failed: ${script}\n${r.stderr}`);
  return r.stdout;
}

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Sorts a file by line in byte order (parallel, big buffer). */
function sortFile(input: string, output: string): void {
  sh(`sort --parallel=2 -S 1G -T ${q(WORK)} -o ${q(output)} ${q(input)}`);
}

/** rows and sum of the third field of a result file. */
function facts(file: string): { rows: number; sum: number } {
  const out = sh(`awk -F '\\t' '{ s += $3 } END { printf "%d %d\\n", NR, s }' ${q(file)}`).trim().split(' ');
  return { rows: Number(out[0]), sum: Number(out[1]) };
}

function sameFile(a: string, b: string): boolean {
  return spawnSync('cmp', ['-s', a, b]).status === 0;
}

function verify(what: string, ok: boolean, detail = ''): void {
  if (!ok) throw new Error(`verification failed: ${what} ${detail}`);
  log(`  verified: ${what}`);
}

// ---------------------------------------------------------------- formatting

const fmt = (s: number): string => (s < 10 ? s.toFixed(2) : s < 100 ? s.toFixed(1) : s.toFixed(0));
const timeCell = (s: Stats): string => (s.runs > 1 ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : fmt(s.median));
const mb = (x: number): string => x.toFixed(0);
const ratio = (x: number): string => `${x.toFixed(2)}×`;
const int = (n: number): string => n.toLocaleString('en-US');

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------- sections

interface ExecResult {
  phase: 1 | 2;
  name: string;
  stats: Stats;
}

interface Goal {
  goal: string;
  measured: string;
  met: boolean;
}

function versionOf(cmd: string[]): string {
  const r = spawnSync(cmd[0] as string, cmd.slice(1), { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.split('\n')[0]?.trim() ?? '?';
}

function sectionExec(o: Options, views: string, goals: Goal[]): string {
  log('section 1: each executable alone on MovieLens 100K');
  const p1in = join(WORK, 'ml-phase1.in');
  const p2in = join(WORK, 'ml-phase2.in');
  sh(`sort -o ${q(p1in)} ${q(views)}`);
  // phase-2 input: our raw weight-1 pairs, sorted
  runOnce({ cmd: [join(DIST, 'pairs-reducer.js'), '--no-combine'], stdin: p1in, stdout: join(WORK, 'raw.tsv') });
  sortFile(join(WORK, 'raw.tsv'), p2in);
  rmSync(join(WORK, 'raw.tsv'));

  const peers = join(WORK, 'peers');
  mkdirSync(peers, { recursive: true });
  const c1 = join(peers, 'pairs_reducer');
  const c2 = join(peers, 'sum_reducer');
  if (!o.skip.has('c')) {
    sh(`gcc -O2 -o ${q(c1)} ${q(join(PEERS, 'pairs_reducer.c'))} && gcc -O2 -o ${q(c2)} ${q(join(PEERS, 'sum_reducer.c'))}`);
  }
  const phase1: Array<{ name: string; cmd: string[]; runs: number; combined: boolean; peer: string }> = [
    { name: 'ours: pairs-reducer.js (combining)', cmd: [join(DIST, 'pairs-reducer.js')], runs: o.runs, combined: true, peer: 'ours' },
    { name: 'ours: pairs-reducer.js --no-combine', cmd: [join(DIST, 'pairs-reducer.js'), '--no-combine'], runs: o.runs, combined: false, peer: 'ours' },
    { name: 'C (gcc -O2)', cmd: [c1], runs: o.runs, combined: false, peer: 'c' },
    { name: 'Python', cmd: ['python3', join(PEERS, 'pairs_reducer.py')], runs: o.slowRuns, combined: false, peer: 'python' },
    { name: 'Ruby', cmd: ['ruby', join(PEERS, 'pairs_reducer.rb')], runs: o.slowRuns, combined: false, peer: 'ruby' },
  ];
  const phase2: Array<{ name: string; cmd: string[]; runs: number; peer: string }> = [
    { name: 'ours: sum-reducer.js', cmd: [join(DIST, 'sum-reducer.js')], runs: o.runs, peer: 'ours' },
    { name: 'C (gcc -O2)', cmd: [c2], runs: o.runs, peer: 'c' },
    { name: 'Python', cmd: ['python3', join(PEERS, 'sum_reducer.py')], runs: o.slowRuns, peer: 'python' },
    { name: 'Ruby', cmd: ['ruby', join(PEERS, 'sum_reducer.rb')], runs: o.slowRuns, peer: 'ruby' },
  ];
  const results: ExecResult[] = [];
  const expected = join(WORK, 'ml-expected.tsv');
  // The expected result: our sum-reducer on the sorted raw pairs, checked against the facts.
  runOnce({ cmd: [join(DIST, 'sum-reducer.js')], stdin: p2in, stdout: expected });
  const f = facts(expected);
  verify(`MovieLens result has ${int(f.rows)} rows, weights sum ${int(f.sum)}`, f.rows === MOVIELENS.rows && f.sum === MOVIELENS.sum);

  for (const p of phase1) {
    if (o.skip.has(p.peer)) continue;
    log(`phase 1: ${p.name}`);
    const out = join(WORK, 'p1.out');
    const r = bench(p.name, p.runs, { cmd: p.cmd, stdin: p1in, stdout: out });
    // verify: the output, sorted and summed, is the expected result; raw output sorted is the phase-2 input
    const sorted = join(WORK, 'p1.sorted');
    sortFile(out, sorted);
    if (p.combined) {
      runOnce({ cmd: [join(DIST, 'sum-reducer.js')], stdin: sorted, stdout: join(WORK, 'p1.summed') });
      verify(`${p.name}: summed output equals the expected result`, sameFile(join(WORK, 'p1.summed'), expected));
    } else {
      verify(`${p.name}: sorted output equals the sorted weight-1 pairs`, sameFile(sorted, p2in));
    }
    rmSync(out);
    rmSync(sorted);
    rmSync(join(WORK, 'p1.summed'), { force: true });
    results.push({ phase: 1, name: p.name, stats: r.stats });
  }
  for (const p of phase2) {
    if (o.skip.has(p.peer)) continue;
    log(`phase 2: ${p.name}`);
    const out = join(WORK, 'p2.out');
    const r = bench(p.name, p.runs, { cmd: p.cmd, stdin: p2in, stdout: out });
    verify(`${p.name}: output equals the expected result`, sameFile(out, expected));
    rmSync(out);
    results.push({ phase: 2, name: p.name, stats: r.stats });
  }

  const lines: string[] = [];
  lines.push('## 1. Each executable alone on MovieLens 100K');
  lines.push('');
  lines.push(
    `Phase 1 reads the 100,000 views sorted by path (\`cut -f1,2 u.data | LC_ALL=C sort\`) and emits ` +
      `${int(MOVIELENS.sum)} ordered pairs; phase 2 reads those weight-1 pairs sorted (${int(MOVIELENS.sum)} lines) ` +
      `and writes ${int(MOVIELENS.rows)} rows. stdin and stdout are files. Wall time in seconds: median (min–max) ` +
      `over the runs; ratio = median / median of the C reference; peak RSS = max over runs (GNU time %M). ` +
      `Every output was checked before it counted: phase 1 sorted (or, combined, summed) equals the weight-1 pairs; ` +
      `phase 2 equals the expected file (${int(MOVIELENS.rows)} rows, weights sum ${int(MOVIELENS.sum)}).`,
  );
  for (const phase of [1, 2] as const) {
    const rs = results.filter((r) => r.phase === phase);
    const c = rs.find((r) => r.name.startsWith('C '));
    lines.push('');
    lines.push(`### Phase ${phase} (${phase === 1 ? 'pairs per path' : 'sum per pair'})`);
    lines.push('');
    lines.push(
      table(
        ['executable', 'runs', 'wall s: median (min–max)', 'wall vs C', 'cpu s (user+sys)', 'cpu vs C', 'peak RSS MB'],
        rs.map((r) => [
          r.name,
          String(r.stats.runs),
          timeCell(r.stats),
          c ? ratio(r.stats.median / c.stats.median) : '–',
          fmt(r.stats.cpu),
          c ? ratio(r.stats.cpu / c.stats.cpu) : '–',
          mb(r.stats.rssMB),
        ]),
      ),
    );
    for (const r of rs.filter((x) => x.name.startsWith('ours'))) {
      if (c) {
        const x = r.stats.median / c.stats.median;
        const cx = r.stats.cpu / c.stats.cpu;
        goals.push({ goal: `${r.name}: within ${GOAL_REDUCER_RATIO}× of C (wall)`, measured: `${ratio(x)} (cpu ${ratio(cx)})`, met: x <= GOAL_REDUCER_RATIO });
      }
      goals.push({ goal: `${r.name}: peak RSS < ${GOAL_RSS_MB} MB`, measured: `${mb(r.stats.rssMB)} MB`, met: r.stats.rssMB < GOAL_RSS_MB });
    }
  }
  return lines.join('\n');
}

function sectionJob(o: Options, views: string, goals: Goal[]): string {
  log('section 2: the whole job on MovieLens 100K');
  const expected = join(WORK, 'job-expected.tsv');
  const rows: Array<{ name: string; stats: Stats; note: string }> = [];

  // ours
  const ours = (name: string, extra: string[]): Stats => {
    const outDir = join(WORK, 'job-ours');
    const r = bench(name, o.jobRuns, { cmd: [join(ROOT, 'run-job.sh'), '--input', views, '--output', outDir, ...extra] }, () =>
      rmSync(outDir, { recursive: true, force: true }),
    );
    const file = join(outDir, 'viewed_products.tsv');
    if (!existsSync(expected)) {
      sh(`cp ${q(file)} ${q(expected)}`);
      const f = facts(expected);
      verify(`run-job.sh result has ${int(f.rows)} rows, weights sum ${int(f.sum)}`, f.rows === MOVIELENS.rows && f.sum === MOVIELENS.sum);
    } else {
      verify(`${name}: result equals the expected file`, sameFile(file, expected));
    }
    return r.stats;
  };
  const nproc = cpus().length;
  // Reducers per phase as run-job.sh chose them (its log: "phase N: map + shuffle into K partition(s)").
  const chosen = (): string =>
    [...readFileSync(join(WORK, 'stderr.log'), 'utf8').matchAll(/phase \d: map \+ shuffle into (\d+) partition/g)].map((m) => m[1]).join(' + ');
  const oursStats = ours('ours: run-job.sh', []);
  rows.push({ name: `ours: \`run-job.sh\` (local runner, default reducers: ${chosen()})`, stats: oursStats, note: 'import file, sorted' });
  const oursN = ours(`ours: run-job.sh --reducers ${nproc}`, ['--reducers', String(nproc)]);
  rows.push({ name: `ours: \`run-job.sh --reducers ${nproc}\``, stats: oursN, note: 'one reducer per core in both phases' });
  const oursRaw = ours('ours: run-job.sh --no-combine', ['--no-combine']);
  rows.push({ name: `ours: \`run-job.sh --no-combine\` (default reducers: ${chosen()})`, stats: oursRaw, note: 'weight-1 pairs through the shuffle' });

  const peerCheck = (name: string, file: string, sorted: boolean): void => {
    if (sorted) {
      verify(`${name}: result equals ours byte for byte`, sameFile(file, expected));
    } else {
      const s = join(WORK, 'peer.sorted');
      sortFile(file, s);
      verify(`${name}: result (sorted) equals ours`, sameFile(s, expected));
      rmSync(s);
    }
  };

  if (!o.skip.has('duckdb')) {
    log('DuckDB');
    const out = join(WORK, 'duckdb.tsv');
    const r = bench('DuckDB', o.jobRuns, { cmd: ['node', DUCKDB_JOB, views, out] });
    peerCheck('DuckDB', out, true);
    rmSync(out);
    rows.push({ name: `DuckDB ${duckdbVersion()} (one SQL query, all cores)`, stats: r.stats, note: 'same file, ORDER BY' });
  }
  if (!o.skip.has('mariadb')) {
    log('MariaDB (private server)');
    const dir = join(WORK, 'mariadb');
    const server = join(PEERS, 'mariadb-server.sh');
    sh(`${q(server)} start ${q(dir)}`);
    try {
      const sql = join(WORK, 'mariadb-job.sql');
      writeFileSync(sql, readFileSync(join(PEERS, 'mariadb-job.sql'), 'utf8').split('@INPUT@').join(views));
      const out = join(WORK, 'mariadb.tsv');
      const client = ['mariadb', '--no-defaults', `--socket=${join(dir, 'mysqld.sock')}`, '-uroot', '--local-infile=1', '--batch', '--skip-column-names'];
      const r = bench('MariaDB', o.dbRuns, { cmd: client, stdin: sql, stdout: out });
      peerCheck('MariaDB', out, true);
      rmSync(out);
      const hwm = serverPeakMB(dir);
      r.stats.rssMB = Math.max(r.stats.rssMB, hwm);
      rows.push({ name: `${mariadbVersion()} (one SQL query, InnoDB)`, stats: r.stats, note: 'load + query; RSS = server peak' });
    } finally {
      sh(`${q(server)} stop ${q(dir)}`);
    }
  }
  if (!o.skip.has('mrjob')) {
    log('mrjob (local runner)');
    const outDir = join(WORK, 'mrjob-out');
    const r = bench(
      'mrjob',
      o.dbRuns,
      {
        cmd: ['python3', join(PEERS, 'mrjob_viewed_products.py'), '-r', 'local', '--no-conf', '--output-dir', outDir, '--no-cat-output', views],
        stdout: join(WORK, 'mrjob.stdout'),
      },
      () => rmSync(outDir, { recursive: true, force: true }),
    );
    const parts = readdirSync(outDir).filter((n) => n.startsWith('part-')).map((n) => q(join(outDir, n)));
    const all = join(WORK, 'mrjob.tsv');
    sh(`cat ${parts.join(' ')} > ${q(all)}`);
    peerCheck('mrjob', all, false);
    rmSync(all);
    rows.push({ name: `mrjob ${versionOf(['python3', '-c', 'import mrjob; print(mrjob.__version__)'])} local runner`, stats: r.stats, note: 'part files, unsorted' });
  }

  for (const r of rows.filter((x) => !x.name.startsWith('ours'))) {
    const peer = Object.keys(GOAL_JOB_RATIOS).find((k) => r.name.includes(k));
    if (peer === undefined) continue;
    const x = r.stats.median / oursStats.median;
    const want = GOAL_JOB_RATIOS[peer] as number;
    goals.push({ goal: `whole job ${want}× faster than ${peer}`, measured: `${ratio(x)} faster`, met: x >= want });
  }

  return [
    '## 2. The whole job on MovieLens 100K',
    '',
    'Views file in (`cut -f1,2 u.data`, unsorted, as the MySQL export), result file out. Ours: ' +
      '`./run-job.sh --input FILE --output DIR` (per phase: map, hash partition, each partition merged when its map ' +
      'files are in order and `LC_ALL=C` sorted otherwise, reduce; then merge into the sorted import file; ' +
      'reducers per phase from the input size unless `--reducers` is given). Peers compute the same table; each peer\'s result was compared ' +
      'with ours (byte for byte after sorting) before it was timed. Peak RSS is the largest single process ' +
      '(for MariaDB the server). "× ours" = peer median / our median.',
    '',
    table(
      ['job', 'runs', 'wall s: median (min–max)', 'wall × ours', 'cpu s (user+sys)', 'peak RSS MB', 'notes'],
      rows.map((r) => [r.name, String(r.stats.runs), timeCell(r.stats), ratio(r.stats.median / oursStats.median), r.name.startsWith('MariaDB') ? 'n/a (server)' : fmt(r.stats.cpu), mb(r.stats.rssMB), r.note]),
    ),
  ].join('\n');
}

function duckdbVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@duckdb', 'node-api', 'package.json'), 'utf8')) as { version: string };
    return `(@duckdb/node-api ${pkg.version})`;
  } catch {
    return '';
  }
}

function mariadbVersion(): string {
  const v = versionOf(['mariadbd', '--version']).match(/Ver (\S+)/);
  return `MariaDB ${v ? (v[1] as string).replace(/-.*/, '') : ''}`;
}

function serverPeakMB(dir: string): number {
  try {
    const pid = readFileSync(join(dir, 'mysqld.pid'), 'utf8').trim();
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

interface ScalePoint {
  factor: number;
  views: number;
  pairs: number;
  job: Stats;
  p1: Stats;
  p2: Stats;
}

function sectionScale(o: Options, goals: Goal[]): { md: string; svg: string } {
  log('section 3: scaling on resampled Diginetica sessions');
  const sessions: Session[] = parseDiginetica(readFileSync(join(o.data, 'diginetica-sample-train-item-views.csv')));
  const points: ScalePoint[] = [];
  for (const factor of o.scales) {
    const views = join(WORK, `digi-${factor}x.tsv`);
    const sample = resample(sessions, factor, 20161124);
    writeFileSync(views, sample.text);
    const pairs = expectedPairs(sample.sessions, 1000);
    log(`scale ${factor}x: ${int(sample.views)} views, ${int(pairs)} pairs`);
    const outDir = join(WORK, 'scale-out');
    const job = bench(`${factor}x run-job.sh`, o.scaleRuns, { cmd: [join(ROOT, 'run-job.sh'), '--input', views, '--output', outDir] }, () =>
      rmSync(outDir, { recursive: true, force: true }),
    );
    const result = join(outDir, 'viewed_products.tsv');
    const f = facts(result);
    if (factor === 1) {
      verify(`1x = the sample: ${int(f.rows)} rows, sum ${int(f.sum)}`, f.rows === DIGINETICA.rows && f.sum === DIGINETICA.sum);
    }
    verify(`${factor}x: weights sum to the ${int(pairs)} emitted pairs`, f.sum === pairs, `(got ${f.sum})`);
    // the reducers alone on this input
    const p1in = join(WORK, 'scale-p1.in');
    const p2in = join(WORK, 'scale-p2.in');
    sh(`sort -o ${q(p1in)} ${q(views)}`);
    runOnce({ cmd: [join(DIST, 'pairs-reducer.js'), '--no-combine'], stdin: p1in, stdout: join(WORK, 'scale-raw') });
    sortFile(join(WORK, 'scale-raw'), p2in);
    const p1 = bench(`${factor}x pairs-reducer.js`, o.scaleRuns, { cmd: [join(DIST, 'pairs-reducer.js')], stdin: p1in });
    const p2 = bench(`${factor}x sum-reducer.js`, o.scaleRuns, { cmd: [join(DIST, 'sum-reducer.js')], stdin: p2in });
    points.push({ factor, views: sample.views, pairs, job: job.stats, p1: p1.stats, p2: p2.stats });
    for (const p of [views, p1in, p2in, join(WORK, 'scale-raw')]) rmSync(p, { force: true });
  }

  const first = points[0];
  const last = points[points.length - 1];
  if (first !== undefined && last !== undefined && last !== first) {
    for (const [name, get] of [
      ['pairs-reducer.js', (p: ScalePoint) => p.p1.rssMB],
      ['sum-reducer.js', (p: ScalePoint) => p.p2.rssMB],
    ] as const) {
      const grow = get(last) / get(first);
      goals.push({
        goal: `${name}: flat memory from ${first.factor}× to ${last.factor}× (${int(first.pairs)} → ${int(last.pairs)} pairs)`,
        measured: `${mb(get(first))} → ${mb(get(last))} MB (${ratio(grow)})`,
        met: grow < 1.25,
      });
    }
  }

  const md = [
    '## 3. Scaling: Diginetica sessions resampled',
    '',
    `The Diginetica sample (2,986 sessions) as views; at k× it is the sample plus k−1 resamples of its sessions ` +
      `(drawn with replacement, seeded, each with a new path id), so products stay the same and pairs grow ` +
      `linearly. 1× reproduces the data facts (${int(DIGINETICA.rows)} rows, sum ${int(DIGINETICA.sum)}); at every ` +
      `scale the result's weights sum to the emitted pairs. Job = \`run-job.sh\` (peak RSS = its largest process, ` +
      `which includes GNU sort); the reducers alone on the sorted inputs of that scale.`,
    '',
    '![time and peak memory against emitted pairs](scaling.svg)',
    '',
    table(
      ['scale', 'views', 'emitted pairs', 'job wall s', 'job µs/pair', 'job peak RSS MB', 'pairs-reducer s', 'pairs-reducer RSS MB', 'sum-reducer s', 'sum-reducer RSS MB'],
      points.map((p) => [
        `${p.factor}×`,
        int(p.views),
        int(p.pairs),
        timeCell(p.job),
        ((p.job.median / p.pairs) * 1e6).toFixed(2),
        mb(p.job.rssMB),
        timeCell(p.p1),
        mb(p.p1.rssMB),
        timeCell(p.p2),
        mb(p.p2.rssMB),
      ]),
    ),
  ].join('\n');

  const x = points.map((p) => p.pairs / 1e6);
  const timeSeries: Series[] = [
    { name: 'whole job (run-job.sh)', x, y: points.map((p) => p.job.median), color: '#1f77b4' },
    { name: 'pairs-reducer.js alone', x, y: points.map((p) => p.p1.median), color: '#ff7f0e' },
    { name: 'sum-reducer.js alone', x, y: points.map((p) => p.p2.median), color: '#2ca02c' },
  ];
  const rssSeries: Series[] = [
    { name: 'whole job, largest process', x, y: points.map((p) => p.job.rssMB), color: '#1f77b4' },
    { name: 'pairs-reducer.js', x, y: points.map((p) => p.p1.rssMB), color: '#ff7f0e' },
    { name: 'sum-reducer.js', x, y: points.map((p) => p.p2.rssMB), color: '#2ca02c' },
  ];
  const svg = chartSvg(
    'Scaling on resampled Diginetica sessions (1×–' + `${last?.factor ?? 1}×)`,
    [
      { title: 'wall time (s, median)', xLabel: 'emitted pairs (millions)', series: timeSeries },
      { title: 'peak RSS (MB)', xLabel: 'emitted pairs (millions)', series: rssSeries, hline: { y: GOAL_RSS_MB, label: `goal < ${GOAL_RSS_MB} MB` } },
    ],
  );
  return { md, svg };
}

// ---------------------------------------------------------------- main

function machine(): string {
  const mem = totalmem() / 2 ** 30;
  const model = cpus()[0]?.model ?? '?';
  const tools = [
    `Node ${process.version}`,
    versionOf(['gcc', '--version']),
    versionOf(['python3', '--version']),
    versionOf(['ruby', '--version']).replace(/ \(.*$/, '').replace(/p\d+$/, ''),
    versionOf(['sort', '--version']),
  ];
  return `${cpus().length} cores (${model}), ${mem.toFixed(1)} GiB memory; ${tools.join('; ')}`;
}

function main(): void {
  const o = parseOptions(process.argv.slice(2));
  for (const f of ['pairs-reducer.js', 'sum-reducer.js', 'identity-mapper.js', 'partition.js']) {
    if (!existsSync(join(DIST, f))) fail(`dist/${f} missing: run npm run build`);
  }
  const movielens = join(o.data, 'movielens-100k-u.data.tsv');
  if (!existsSync(movielens)) fail(`no data in ${o.data} (see ../shared/data/README.md)`);
  WORK = mkdtempSync(join(tmpdir(), 'viewed-products-bench-'));
  const started = new Date();
  const goals: Goal[] = [];
  const sections: string[] = [];
  let svg: string | undefined;
  try {
    const views = join(WORK, 'ml-views.tsv');
    sh(`cut -f1,2 ${q(movielens)} > ${q(views)}`);
    if (o.only.has('exec')) sections.push(sectionExec(o, views, goals));
    if (o.only.has('job')) sections.push(sectionJob(o, views, goals));
    if (o.only.has('scale')) {
      const s = sectionScale(o, goals);
      sections.push(s.md);
      svg = s.svg;
    }
  } finally {
    if (o.keep) log(`kept ${WORK}`);
    else rmSync(WORK, { recursive: true, force: true });
  }
  const minutes = (Date.now() - started.getTime()) / 60000;
  const argv = process.argv.slice(2).join(' ');
  const head = [
    '# Benchmark results',
    '',
    `- date: ${started.toISOString().replace(/\.\d+Z$/, 'Z')} (took ${minutes.toFixed(1)} min)`,
    `- machine: ${machine()}`,
    `- command: \`npm run bench${argv ? ` -- ${argv}` : ''}\` (from the repository root; data from \`../shared/data\`)`,
    `- load average (1 min) before the timed runs: ${Math.min(...LOADS).toFixed(1)}–${Math.max(...LOADS).toFixed(1)} ` +
      `(${cpus().length} cores; above ~1 other work shared the machine and wall times are inflated; cpu times less so)`,
    `- runs: ${o.runs} per fast executable, ${o.slowRuns} per Python/Ruby reducer, ${o.jobRuns} per whole job ` +
      `(ours, DuckDB), ${o.dbRuns} for MariaDB and mrjob, ${o.scaleRuns} per scaling point`,
    '- environment: every timed process runs with `LC_ALL=C` and without `NODE_EXTRA_CA_CERTS` (when set, ' +
      'Node 20 parses that CA bundle at every start, about 50 ms here; run-job.sh drops it for its processes too)',
  ].join('\n');
  const goalsMd = [
    '## Goals',
    '',
    table(
      ['goal', 'measured', 'met'],
      goals.map((g) => [g.goal, g.measured, g.met ? 'yes' : '**no**']),
    ),
  ].join('\n');
  let md = [head, goalsMd, ...sections].join('\n\n') + '\n';
  process.stdout.write(md);
  if (o.out !== undefined) {
    // Hand-written discussion below the marker survives reruns.
    const MARK = '<!-- discussion: kept across runs -->';
    const old = existsSync(o.out) ? readFileSync(o.out, 'utf8') : '';
    const at = old.indexOf(MARK);
    md += `\n${at >= 0 ? old.slice(at) : `${MARK}\n`}`;
    writeFileSync(o.out, md);
    log(`wrote ${o.out}`);
    if (svg !== undefined) {
      const chart = join(o.out, '..', 'scaling.svg');
      writeFileSync(chart, svg);
      log(`wrote ${chart}`);
    }
  }
  if (o.notes !== undefined) {
    writeFileSync(o.notes, md);
    if (svg !== undefined && o.out === undefined) writeFileSync(`${o.notes}.svg`, svg);
    log(`wrote ${o.notes}`);
  }
}

main();
