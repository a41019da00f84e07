/**
 * Stops what suites made once for the run (test/helpers/once.ts): SIGTERM to
 * each recorded pid, SIGKILL after 30 s, then the recorded teardown commands.
 * Returns what went wrong, for the teardown to fail the run with.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Recorded {
  pids?: number[];
  teardown?: string[];
}

/** True while PID is a process that has not exited (a zombie has). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return false;
  }
}

async function stopPid(pid: number): Promise<void> {
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(pid, s);
    } catch {
      // gone already
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + 30_000;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      signal('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function stopShared(runDir: string): Promise<string[]> {
  const root = path.join(runDir, 'once');
  if (!fs.existsSync(root)) return [];
  const problems: string[] = [];
  for (const name of fs.readdirSync(root).sort()) {
    const file = path.join(root, name, 'made.json');
    if (!fs.existsSync(file)) continue;
    const made: Recorded = JSON.parse(fs.readFileSync(file, 'utf8'));
    await Promise.all((made.pids ?? []).map(stopPid));
    for (const command of made.teardown ?? []) {
      const r = spawnSync('bash', ['-c', command], { cwd: path.resolve(__dirname, '..', '..'), encoding: 'utf8' });
      if (r.status !== 0) problems.push(`${name}: teardown \`${command}\` failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
    }
  }
  return problems;
}
