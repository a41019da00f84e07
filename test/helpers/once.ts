/**
 * Once per jest run, shared by every worker: the first suite that asks for
 * NAME makes it (a server, a reference result) and writes what the others need
 * to a JSON file in the run's TMPDIR (VP_JEST_TMPDIR, test/global/); the others
 * wait for that file. Servers record their pids there, and
 * test/global/teardown.ts stops them once every suite is done.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What a maker hands back: the value for the suites, the pids to stop at the end, commands to run then. */
export interface Made<T> {
  value: T;
  pids?: number[];
  /** Shell commands the teardown runs (from the repository root), after stopping the pids. */
  teardown?: string[];
}

/** The folder of the run's shared things; teardown reads it. */
export function onceRoot(): string {
  const run = process.env.VP_JEST_TMPDIR;
  if (run === undefined) throw new Error('VP_JEST_TMPDIR is not set: run the tests through jest (jest.config.js sets it up)');
  return path.join(run, 'once');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor<T>(dir: string, name: string, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'made.json'))) {
      const made: Made<T> = JSON.parse(fs.readFileSync(path.join(dir, 'made.json'), 'utf8'));
      return made.value;
    }
    if (fs.existsSync(path.join(dir, 'error.txt'))) throw new Error(`${name} failed in another suite: ${fs.readFileSync(path.join(dir, 'error.txt'), 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`${name}: not made by another suite within ${waitMs / 1000} s`);
    await sleep(200);
  }
}

async function makeOrWait<T>(name: string, make: () => Promise<Made<T>>, waitMs: number): Promise<T> {
  const root = onceRoot();
  fs.mkdirSync(root, { recursive: true });
  const dir = path.join(root, name);
  try {
    fs.mkdirSync(dir); // atomic: exactly one suite of the run gets to make it
  } catch (e) {
    // Not `instanceof Error`: Node's errors come from outside jest's sandbox.
    if (!(typeof e === 'object' && e !== null && 'code' in e && e.code === 'EEXIST')) throw e;
    return waitFor<T>(dir, name, waitMs);
  }
  try {
    const made = await make();
    // Written whole, then renamed: a waiter never reads half a file.
    fs.writeFileSync(path.join(dir, 'made.json.part'), JSON.stringify(made));
    fs.renameSync(path.join(dir, 'made.json.part'), path.join(dir, 'made.json'));
    return made.value;
  } catch (e) {
    fs.writeFileSync(path.join(dir, 'error.txt'), e instanceof Error ? e.message : String(e));
    throw e;
  }
}

/**
 * A getter of NAME's value (a file-name-safe NAME), made by the first suite of
 * the run that calls it; within a process the value is made or awaited once.
 */
export function sharedOnce<T>(name: string, make: () => Promise<Made<T>>, waitMs = 600_000): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= makeOrWait(name, make, waitMs));
}
