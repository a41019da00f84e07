/**
 * The processes of a job run a test started, seen through /proc: those
 * holding its marker (VP_TEST_MARK) in their environment, and a watcher of
 * every command line and environment for a secret while the run goes on.
 */
import { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Pids of live processes whose environment holds VP_TEST_MARK=mark. */
export function processesMarked(mark: string): number[] {
  const needle = Buffer.from(`VP_TEST_MARK=${mark}\0`);
  const out: number[] = [];
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const env = fs.readFileSync(`/proc/${pid}/environ`);
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
      if (env.includes(needle) && !/^\d+ \(.*\) Z/.test(stat)) out.push(Number(pid));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

export async function noProcessesLeft(mark: string): Promise<number[]> {
  for (let i = 0; i < 50; i++) {
    const left = processesMarked(mark);
    if (left.length === 0) return [];
    await new Promise((r) => setTimeout(r, 100));
  }
  return processesMarked(mark);
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Watches every process's command line and environment for a secret while a run is going. */
export function watchProcs(secret: string): { stop: () => Promise<{ leaks: string[]; seen: Set<string>; scans: number }> } {
  const needle = Buffer.from(secret);
  const leaks: string[] = [];
  const seen = new Set<string>();
  let scans = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const pid of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        try {
          const cmd = fs.readFileSync(`/proc/${pid}/cmdline`);
          const words = cmd.toString('latin1').split('\0');
          for (const w of words.slice(0, 2)) seen.add(path.basename(w));
          if (cmd.includes(needle)) leaks.push(`cmdline of ${pid}: ${words.join(' ')}`);
          const env = fs.readFileSync(`/proc/${pid}/environ`);
          if (env.includes(needle)) leaks.push(`environment of ${pid}: ${words.join(' ')}`);
        } catch {
          // gone
        }
      }
      scans++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { leaks, seen, scans };
    },
  };
}
