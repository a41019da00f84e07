/**
 * Running the real job (run-job.sh) on the training views, one run per score.
 * Its log goes to our stderr (stdout stays the table's). A SIGINT or SIGTERM
 * to the evaluator is passed on to the running job, which cleans up; the
 * evaluator then removes its work folder and stops with 130 or 143.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { ExitError } from '../io/cli';

const SIGNAL_EXITS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

let running: ChildProcess | null = null;
let interrupted: NodeJS.Signals | null = null;
let cleanup: (() => void) | null = null;

/** What to remove when a signal stops the evaluator between job runs (the work folder). */
export function onInterrupt(f: (() => void) | null): void {
  cleanup = f;
}

/** Installs the SIGINT/SIGTERM handlers (once, by the entry program). */
export function passSignalsToJob(): void {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      interrupted = sig;
      if (running !== null) {
        running.kill(sig);
        return;
      }
      cleanup?.();
      process.exit(SIGNAL_EXITS[sig]);
    });
  }
}

/** Runs run-job.sh with args; a failure ends the evaluation with the job's exit code. */
export function runJob(runJob: string, args: readonly string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its own process group: a Ctrl-C reaches it once, from us, not twice (its cleanup must not be cut short).
    const child = spawn(runJob, args, { stdio: ['ignore', 2, 2], detached: true });
    running = child;
    child.on('error', (e) => {
      running = null;
      reject(new ExitError(`cannot run ${runJob}: ${e.message}`, 1));
    });
    child.on('close', (code, signal) => {
      running = null;
      if (interrupted !== null) reject(new ExitError(`interrupted (${interrupted})`, SIGNAL_EXITS[interrupted] ?? 1));
      else if (code === 0) resolve();
      else reject(new ExitError(`the job for ${what} failed (${code === null ? `signal ${signal}` : `exit ${code}`}); its log is above`, code ?? 1));
    });
  });
}
