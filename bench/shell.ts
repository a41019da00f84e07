// Untimed helper steps run through bash: preparing inputs, sorting, counting.
import { spawnSync } from 'node:child_process';
import { benchEnv } from './measure';
import { scratch } from './scratch';

export function sh(script: string, cwd = scratch()): string {
  const r = spawnSync('bash', ['-c', `set -Eeuo pipefail\n${script}`], {
    cwd,
    env: benchEnv(),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`shell step failed: ${script}\n${r.stderr}`);
  return r.stdout;
}

/** s quoted for bash. */
export function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Sorts a file by line in byte order (parallel, big buffer). */
export function sortFile(input: string, output: string): void {
  sh(`sort --parallel=2 -S 1G -T ${q(scratch())} -o ${q(output)} ${q(input)}`);
}
