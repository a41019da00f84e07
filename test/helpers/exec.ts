/** Spawning the bundled executables and shell pipelines from tests. */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sumReporterCounters } from './reporter-counters';

export const ROOT = path.resolve(__dirname, '..', '..');
export const DIST = path.join(ROOT, 'dist');
export const DATA = path.resolve(ROOT, '..', 'shared', 'data');

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs dist/<name> with args, writing each input chunk separately (with a
 * pause between, so the reader really gets them as separate reads).
 */
export function runBundle(name: string, args: string[], chunks: Buffer[], pauseMs = 15): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(DIST, name), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out), stderr: err }));
    child.stdin.on('error', () => undefined);
    let i = 0;
    const next = (): void => {
      if (i >= chunks.length) {
        child.stdin.end();
        return;
      }
      child.stdin.write(chunks[i++], () => setTimeout(next, pauseMs));
    };
    next();
  });
}

/** Runs a bash command line from the repository root. */
export function sh(command: string, env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', `set -Eeuo pipefail; ${command}`], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    maxBuffer: 1 << 30,
    encoding: 'latin1',
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tmpDir(prefix = 'vp-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Sums the reporter:counter lines of a stderr text. */
export function counters(stderr: string): Record<string, number> {
  return Object.fromEntries(sumReporterCounters(stderr));
}

/** Views files of the shared data sets, as `path<TAB>product` (made once per test run). */
export function dataViews(which: 'movielens' | 'diginetica', dir: string): string {
  const file = path.join(dir, `${which}.views.tsv`);
  if (!fs.existsSync(file)) {
    const cmd =
      which === 'movielens'
        ? `cut -f1,2 '${DATA}/movielens-100k-u.data.tsv' > '${file}'`
        : `tail -n +2 '${DATA}/diginetica-sample-train-item-views.csv' | cut -d';' -f1,3 | tr ';' '\\t' > '${file}'`;
    const r = sh(cmd);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  return file;
}

/** Row count and weight sum of an import file. */
export function facts(file: string): { rows: number; sum: number } {
  const r = sh(`awk -F'\\t' '{ n++; s += $3 } END { printf "%d %d", n, s }' '${file}'`);
  const [rows, sum] = r.stdout.split(' ').map(Number);
  return { rows, sum };
}
