// Section 1 (`exec`): each executable alone on MovieLens 100K, ours against
// reference reducers in C, Python and Ruby (and, with --baseline, the baseline's).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { baselineDist, benchAgainstBaseline, type BeforeAfter } from '../baseline';
import { fmt, int, mb, ratio, table, timeCell } from '../format';
import { GOAL_REDUCER_RATIO, GOAL_RSS_MB, type Goal } from '../goals';
import { log } from '../log';
import { bench, runOnce, type RunSpec, type Stats } from '../measure';
import type { Options } from '../options';
import { DIST, PEERS } from '../paths';
import { scratch } from '../scratch';
import { q, sh, sortFile } from '../shell';
import { MOVIELENS, facts, sameFile, verify } from '../verify';

interface ExecResult {
  phase: 1 | 2;
  name: string;
  stats: Stats;
}

interface Executable {
  name: string;
  cmd: string[];
  runs: number;
  peer: string;
  /** ours only: the dist/ file and its arguments, to run the baseline's too */
  dist?: { file: string; args: string[] };
}

/** Times one executable on stdin → out; with a baseline and a dist/ file, against the baseline's. */
function timeExecutable(o: Options, p: Executable, stdin: string, out: string, beforeAfter: BeforeAfter[]): Stats {
  const spec: RunSpec = { cmd: p.cmd, stdin, stdout: out };
  if (o.baseline === undefined || p.dist === undefined) return bench(p.name, p.runs, spec).stats;
  const baseOut = `${out}.baseline`;
  const base: RunSpec = {
    cmd: [baselineDist(o.baseline, p.dist.file), ...p.dist.args],
    stdin,
    stdout: baseOut,
    stderr: scratch('baseline-stderr.log'),
  };
  const step = p.name.replace(/^ours: /, '');
  const r = benchAgainstBaseline(step, p.runs, { spec, output: out }, { spec: base, output: baseOut });
  rmSync(baseOut);
  beforeAfter.push({ step, baseline: r.baseline, ours: r.ours });
  return r.ours;
}

export function sectionExec(o: Options, views: string, goals: Goal[], beforeAfter: BeforeAfter[]): string {
  log('section 1: each executable alone on MovieLens 100K');
  const p1in = scratch('ml-phase1.in');
  const p2in = scratch('ml-phase2.in');
  sh(`sort -o ${q(p1in)} ${q(views)}`);
  // phase-2 input: our raw weight-1 pairs, sorted
  runOnce({ cmd: [join(DIST, 'pairs-reducer.js'), '--no-combine'], stdin: p1in, stdout: scratch('raw.tsv') });
  sortFile(scratch('raw.tsv'), p2in);
  rmSync(scratch('raw.tsv'));

  const peers = scratch('peers');
  mkdirSync(peers, { recursive: true });
  const c1 = join(peers, 'pairs_reducer');
  const c2 = join(peers, 'sum_reducer');
  if (!o.skip.has('c')) {
    sh(`gcc -O2 -o ${q(c1)} ${q(join(PEERS, 'pairs_reducer.c'))} && gcc -O2 -o ${q(c2)} ${q(join(PEERS, 'sum_reducer.c'))}`);
  }
  const ours = (name: string, file: string, args: string[]): Executable => ({
    name,
    cmd: [join(DIST, file), ...args],
    runs: o.runs,
    peer: 'ours',
    dist: { file, args },
  });
  const phase1: Array<Executable & { combined: boolean }> = [
    { ...ours('ours: pairs-reducer.js (combining)', 'pairs-reducer.js', []), combined: true },
    { ...ours('ours: pairs-reducer.js --no-combine', 'pairs-reducer.js', ['--no-combine']), combined: false },
    { name: 'C (gcc -O2)', cmd: [c1], runs: o.runs, combined: false, peer: 'c' },
    { name: 'Python', cmd: ['python3', join(PEERS, 'pairs_reducer.py')], runs: o.slowRuns, combined: false, peer: 'python' },
    { name: 'Ruby', cmd: ['ruby', join(PEERS, 'pairs_reducer.rb')], runs: o.slowRuns, combined: false, peer: 'ruby' },
  ];
  const phase2: Executable[] = [
    ours('ours: sum-reducer.js', 'sum-reducer.js', []),
    { name: 'C (gcc -O2)', cmd: [c2], runs: o.runs, peer: 'c' },
    { name: 'Python', cmd: ['python3', join(PEERS, 'sum_reducer.py')], runs: o.slowRuns, peer: 'python' },
    { name: 'Ruby', cmd: ['ruby', join(PEERS, 'sum_reducer.rb')], runs: o.slowRuns, peer: 'ruby' },
  ];
  const results: ExecResult[] = [];
  const expected = scratch('ml-expected.tsv');
  // The expected result: our sum-reducer on the sorted raw pairs, checked against the facts.
  runOnce({ cmd: [join(DIST, 'sum-reducer.js')], stdin: p2in, stdout: expected });
  const f = facts(expected);
  verify(`MovieLens result has ${int(f.rows)} rows, weights sum ${int(f.sum)}`, f.rows === MOVIELENS.rows && f.sum === MOVIELENS.sum);

  for (const p of phase1) {
    if (o.skip.has(p.peer)) continue;
    log(`phase 1: ${p.name}`);
    const out = scratch('p1.out');
    const stats = timeExecutable(o, p, p1in, out, beforeAfter);
    // verify: the output, sorted and summed, is the expected result; raw output sorted is the phase-2 input
    const sorted = scratch('p1.sorted');
    sortFile(out, sorted);
    if (p.combined) {
      runOnce({ cmd: [join(DIST, 'sum-reducer.js')], stdin: sorted, stdout: scratch('p1.summed') });
      verify(`${p.name}: summed output equals the expected result`, sameFile(scratch('p1.summed'), expected));
    } else {
      verify(`${p.name}: sorted output equals the sorted weight-1 pairs`, sameFile(sorted, p2in));
    }
    rmSync(out);
    rmSync(sorted);
    rmSync(scratch('p1.summed'), { force: true });
    results.push({ phase: 1, name: p.name, stats });
  }
  for (const p of phase2) {
    if (o.skip.has(p.peer)) continue;
    log(`phase 2: ${p.name}`);
    const out = scratch('p2.out');
    const stats = timeExecutable(o, p, p2in, out, beforeAfter);
    verify(`${p.name}: output equals the expected result`, sameFile(out, expected));
    rmSync(out);
    results.push({ phase: 2, name: p.name, stats });
  }
  return execMd(results, goals);
}

/** The section's text and tables; adds the reducers' goals. */
function execMd(results: ExecResult[], goals: Goal[]): string {
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
