// Section 2 (`job`): the whole job on MovieLens 100K, run-job.sh against the same
// computation in DuckDB, MariaDB and mrjob (and, with --baseline, the baseline's run-job.sh).
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchAgainstBaseline, type BeforeAfter } from '../baseline';
import { fmt, int, mb, ratio, table, timeCell } from '../format';
import { GOAL_JOB_RATIOS, type Goal } from '../goals';
import { log } from '../log';
import { bench, type RunSpec, type Stats } from '../measure';
import type { Options } from '../options';
import { DUCKDB_JOB, PEERS, ROOT } from '../paths';
import { scratch } from '../scratch';
import { q, sh, sortFile } from '../shell';
import { MOVIELENS, facts, sameFile, verify } from '../verify';
import { duckdbVersion, mariadbVersion, mrjobVersion } from '../versions';

interface JobRow {
  name: string;
  stats: Stats;
  note: string;
}

/** The MariaDB server's peak RSS (VmHWM), read while it still runs. */
function serverPeakMB(dir: string): number {
  try {
    const pid = readFileSync(join(dir, 'mysqld.pid'), 'utf8').trim();
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Times `run-job.sh --input VIEWS --output outDir EXTRA`; with a baseline, against the baseline's run-job.sh. */
function timeJob(o: Options, name: string, views: string, extra: string[], outDir: string, beforeAfter: BeforeAfter[]): Stats {
  const spec: RunSpec = { cmd: [join(ROOT, 'run-job.sh'), '--input', views, '--output', outDir, ...extra] };
  const before = (): void => rmSync(outDir, { recursive: true, force: true });
  if (o.baseline === undefined) return bench(name, o.jobRuns, spec, before).stats;
  const baseDir = scratch('job-baseline');
  const base: RunSpec = { cmd: [join(o.baseline, 'run-job.sh'), '--input', views, '--output', baseDir, ...extra], stderr: scratch('baseline-stderr.log') };
  const step = name.replace(/^ours: /, '');
  const r = benchAgainstBaseline(
    step,
    o.jobRuns,
    { spec, output: join(outDir, 'viewed_products.tsv'), before },
    { spec: base, output: join(baseDir, 'viewed_products.tsv'), before: () => rmSync(baseDir, { recursive: true, force: true }) },
  );
  rmSync(baseDir, { recursive: true, force: true });
  beforeAfter.push({ step, baseline: r.baseline, ours: r.ours });
  return r.ours;
}

export function sectionJob(o: Options, views: string, goals: Goal[], beforeAfter: BeforeAfter[]): string {
  log('section 2: the whole job on MovieLens 100K');
  const expected = scratch('job-expected.tsv');
  const rows: JobRow[] = [];

  // ours
  const ours = (name: string, extra: string[]): Stats => {
    const outDir = scratch('job-ours');
    const stats = timeJob(o, name, views, extra, outDir, beforeAfter);
    const file = join(outDir, 'viewed_products.tsv');
    if (!existsSync(expected)) {
      sh(`cp ${q(file)} ${q(expected)}`);
      const f = facts(expected);
      verify(`run-job.sh result has ${int(f.rows)} rows, weights sum ${int(f.sum)}`, f.rows === MOVIELENS.rows && f.sum === MOVIELENS.sum);
    } else {
      verify(`${name}: result equals the expected file`, sameFile(file, expected));
    }
    return stats;
  };
  const nproc = cpus().length;
  // Reducers per phase as run-job.sh chose them (its log: "phase N: map + shuffle into K partition(s)").
  const chosen = (): string =>
    [...readFileSync(scratch('stderr.log'), 'utf8').matchAll(/phase \d: map \+ shuffle into (\d+) partition/g)].map((m) => m[1]).join(' + ');
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
      const s = scratch('peer.sorted');
      sortFile(file, s);
      verify(`${name}: result (sorted) equals ours`, sameFile(s, expected));
      rmSync(s);
    }
  };

  if (!o.skip.has('duckdb')) {
    log('DuckDB');
    const out = scratch('duckdb.tsv');
    const r = bench('DuckDB', o.jobRuns, { cmd: ['node', DUCKDB_JOB, views, out] });
    peerCheck('DuckDB', out, false);
    rmSync(out);
    rows.push({ name: `DuckDB ${duckdbVersion()} (one SQL query, all cores)`, stats: r.stats, note: 'same lines, unordered (its fastest form); sorted after, untimed' });
  }
  if (!o.skip.has('mariadb')) {
    log('MariaDB (private server)');
    const dir = scratch('mariadb');
    const server = join(PEERS, 'mariadb-server.sh');
    sh(`${q(server)} start ${q(dir)}`);
    try {
      const sql = scratch('mariadb-job.sql');
      writeFileSync(sql, readFileSync(join(PEERS, 'mariadb-job.sql'), 'utf8').split('@INPUT@').join(views));
      const out = scratch('mariadb.tsv');
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
    const outDir = scratch('mrjob-out');
    const r = bench(
      'mrjob',
      o.dbRuns,
      {
        cmd: ['python3', join(PEERS, 'mrjob_viewed_products.py'), '-r', 'local', '--no-conf', '--output-dir', outDir, '--no-cat-output', views],
        stdout: scratch('mrjob.stdout'),
      },
      () => rmSync(outDir, { recursive: true, force: true }),
    );
    const parts = readdirSync(outDir).filter((n) => n.startsWith('part-')).map((n) => q(join(outDir, n)));
    const all = scratch('mrjob.tsv');
    sh(`cat ${parts.join(' ')} > ${q(all)}`);
    peerCheck('mrjob', all, false);
    rmSync(all);
    rows.push({ name: `mrjob ${mrjobVersion()} local runner`, stats: r.stats, note: 'part files, unsorted' });
  }

  for (const r of rows.filter((x) => !x.name.startsWith('ours'))) {
    const goal = Object.entries(GOAL_JOB_RATIOS).find(([peer]) => r.name.includes(peer));
    if (goal === undefined) continue;
    const [peer, want] = goal;
    const x = r.stats.median / oursStats.median;
    goals.push({ goal: `whole job ${want}× faster than ${peer}`, measured: `${ratio(x)} faster`, met: x >= want });
  }
  return jobMd(rows, oursStats);
}

function jobMd(rows: JobRow[], oursStats: Stats): string {
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
