// The scratch directory of one bench run: inputs, outputs and logs of the timed processes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log } from './log';

let dir = '';

export function openScratch(): string {
  dir = mkdtempSync(join(tmpdir(), 'viewed-products-bench-'));
  return dir;
}

/** A path in the scratch directory (the directory itself without parts). */
export function scratch(...parts: string[]): string {
  if (dir === '') throw new Error('bench: no scratch directory yet');
  return join(dir, ...parts);
}

export function closeScratch(keep: boolean): void {
  if (keep) log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
