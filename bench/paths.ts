// Where the bench finds the project. `npm run bench` bundles the bench into
// .cache/bench/run.js, so __dirname is .cache/bench and the root two levels up.
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const DIST = join(ROOT, 'dist');
export const PEERS = join(ROOT, 'bench', 'peers');
export const DUCKDB_JOB = join(ROOT, '.cache', 'bench', 'peers', 'duckdb-job.js');
