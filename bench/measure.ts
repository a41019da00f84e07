// Timing one command: wall time, CPU time and peak RSS under GNU time; the
// statistics over runs; the load average seen while measuring.
import { spawnSync, type StdioOptions } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { log } from './log';
import { scratch } from './scratch';

export interface Sample {
  wall: number; // seconds
  rssKB: number; // peak RSS (largest process of the tree), GNU time %M
  cpu: number; // user + system seconds of the whole process tree, GNU time %U + %S
}

export interface RunSpec {
  cmd: string[];
  stdin?: string;
  stdout?: string; // file; default /dev/null
  stderr?: string; // file; default stderr.log in the scratch directory
  cwd?: string;
}

export interface Stats {
  runs: number;
  median: number;
  min: number;
  max: number;
  rssMB: number; // max over runs
  cpu: number; // median user+sys seconds
}

const LOADS: number[] = [];

/**
 * Every timed process's environment. NODE_EXTRA_CA_CERTS is left out: with it
 * Node 20 parses the CA bundle at every start (~50 ms), for processes that never
 * open a TLS connection (run-job.sh drops it for its processes too).
 */
export function benchEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** The 1-minute load average now (also remembered for the results header). */
export function load(): string {
  const l = loadavg()[0] ?? 0;
  LOADS.push(l);
  return l.toFixed(1);
}

/** The load averages seen so far, lowest and highest. */
export function loadRange(): { min: number; max: number } {
  return { min: Math.min(...LOADS), max: Math.max(...LOADS) };
}

/** Runs cmd under GNU time: wall time (hrtime around the run) and peak RSS. */
export function runOnce(spec: RunSpec): Sample {
  const timeFile = scratch('time.out');
  const errFile = spec.stderr ?? scratch('stderr.log');
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
    cwd: spec.cwd ?? scratch(),
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

export function medianOf(xs: number[]): number {
  const w = [...xs].sort((a, b) => a - b);
  // the middle element (odd length) or the two middle ones (even length)
  const lo = w[Math.ceil(w.length / 2) - 1] ?? NaN;
  const hi = w[Math.floor(w.length / 2)] ?? NaN;
  return (lo + hi) / 2;
}

export function stats(samples: Sample[]): Stats {
  const w = samples.map((s) => s.wall).sort((a, b) => a - b);
  return {
    runs: w.length,
    median: medianOf(w),
    cpu: medianOf(samples.map((s) => s.cpu)),
    min: w[0] ?? NaN,
    max: w[w.length - 1] ?? NaN,
    rssMB: Math.max(...samples.map((s) => s.rssKB)) / 1024,
  };
}

/** The spec of a run after the first: its output goes to FILE.rerun, not over the first run's. */
export function rerun(spec: RunSpec): RunSpec {
  return { ...spec, stdout: spec.stdout === undefined ? undefined : `${spec.stdout}.rerun` };
}

/** Removes what the reruns of spec wrote. */
export function removeReruns(spec: RunSpec): void {
  if (spec.stdout !== undefined) rmSync(`${spec.stdout}.rerun`, { force: true });
}

/** One timed run (run i of runs), logged. */
export function timedRun(label: string, i: number, runs: number, spec: RunSpec, before?: () => void): Sample {
  before?.();
  const s = runOnce(spec);
  log(`  ${label} run ${i + 1}/${runs}: ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} s cpu, ${(s.rssKB / 1024).toFixed(1)} MB (load ${load()})`);
  return s;
}

/** First run writes `output` (for verification by the caller); all runs are timed. */
export function bench(label: string, runs: number, spec: RunSpec, before?: () => void): { stats: Stats; samples: Sample[] } {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(timedRun(label, i, runs, i === 0 ? spec : rerun(spec), before));
  removeReruns(spec);
  return { stats: stats(samples), samples };
}
