// Where the bench finds the project. `npm run bench` bundles the bench into
// .cache/bench/run.js, so __dirname is .cache/bench and the root two levels up.
import { join, resolve } from 'node:path';

// The entry's path as given, not __dirname: node resolves __dirname through
// symlinks, and a worktree's .cache may link to another checkout's.
const entry = process.argv[1] ?? '';
export const ROOT = /[/]\.cache[/]bench[/][^/]+\.js$/.test(entry) ? resolve(entry, '..', '..', '..') : resolve(__dirname, '..', '..');
export const DIST = join(ROOT, 'dist');
export const PEERS = join(ROOT, 'bench', 'peers');
export const DUCKDB_JOB = join(ROOT, '.cache', 'bench', 'peers', 'duckdb-job.js');
