// Output checks: the data facts, and comparing result files.
import { spawnSync } from 'node:child_process';
import { log } from './log';
import { q, sh } from './shell';

// Facts of the data sets (../shared/data/README.md).
export const MOVIELENS = { rows: 1_966_412, sum: 20_100_812 };
export const DIGINETICA = { rows: 59_750, sum: 61_252 };

/** rows and sum of the third field of a result file. */
export function facts(file: string): { rows: number; sum: number } {
  const out = sh(`awk -F '\\t' '{ s += $3 } END { printf "%d %d\\n", NR, s }' ${q(file)}`).trim().split(' ');
  return { rows: Number(out[0]), sum: Number(out[1]) };
}

export function sameFile(a: string, b: string): boolean {
  return spawnSync('cmp', ['-s', a, b]).status === 0;
}

export function verify(what: string, ok: boolean, detail = ''): void {
  if (!ok) throw new Error(`verification failed: ${what} ${detail}`);
  log(`  verified: ${what}`);
}
