// The bench's command line: options, defaults and the usage text.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fail } from './log';
import { ROOT } from './paths';
import { STORE_DEFAULTS } from './store-data';

export const SECTIONS: readonly string[] = ['exec', 'job', 'scale', 'store'];

export interface Options {
  runs: number;
  slowRuns: number;
  jobRuns: number;
  dbRuns: number;
  scaleRuns: number;
  scales: number[];
  /** Views of the store-scale data (section store; it also runs a quarter of them). */
  storeViews: number;
  storeSeed: number;
  storeProducts: number;
  storeRuns: number;
  only: Set<string>;
  skip: Set<string>;
  data: string;
  out: string | undefined;
  notes: string | undefined;
  keep: boolean;
  /** Another checkout of the project (dist/ built) to time against ours. */
  baseline: string | undefined;
}

export const USAGE = `Usage: npm run bench -- [options]
  --runs N         timed runs of each fast executable (ours, C)          default 5
  --slow-runs N    timed runs of the Python and Ruby reducers            default 3
  --job-runs N     timed runs of the whole job (ours) and DuckDB         default 3
  --db-runs N      timed runs of MariaDB and mrjob (slow)                default 1
  --scale-runs N   timed runs per scaling point                          default 3
  --scales LIST    scaling factors of the Diginetica sample              default 1,2,4,...,256
  --store-views N  views of the store-scale data (section store, which
                   also runs a quarter of them)                          default 13500000
  --store-seed N   seed of the store-scale data                         default 13
  --store-products N  products of the store-scale data                   default 200000
  --store-runs N   rounds of the store section (each runs every command
                   once: C floor, ours, DuckDB; medians)                  default 1
  --only LIST      sections to run: exec,job,scale,store                 default all
  --skip LIST      peers to leave out: python,ruby,c,duckdb,mariadb,mrjob
  --data DIR       the real data                                         default ../shared/data
  --out FILE       results file (default bench/RESULTS.md when all sections run)
  --notes FILE     also write the results to FILE
  --keep           keep the scratch directory
  --baseline DIR   another checkout of this project with dist/ built (e.g. a git
                   worktree of an older commit): sections exec and job also run
                   its executables and run-job.sh, alternating run by run with
                   ours, after checking its outputs are byte-identical to ours,
                   and the results get a "before / after" table`;

/** The files of a baseline checkout the bench runs. */
export const BASELINE_FILES = ['dist/pairs-reducer.js', 'dist/sum-reducer.js', 'run-job.sh'];

export function parseOptions(argv: string[]): Options {
  const o: Options = {
    runs: 5,
    slowRuns: 3,
    jobRuns: 3,
    dbRuns: 1,
    scaleRuns: 3,
    scales: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    storeViews: STORE_DEFAULTS.views,
    storeSeed: STORE_DEFAULTS.seed,
    storeProducts: STORE_DEFAULTS.products,
    storeRuns: 1,
    only: new Set(SECTIONS),
    skip: new Set(),
    data: resolve(ROOT, '..', 'shared', 'data'),
    out: undefined,
    notes: undefined,
    keep: false,
    baseline: undefined,
  };
  let onlyGiven = false;
  const int = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < 1) fail(`${name} needs a positive integer`);
    return n;
  };
  const list = (v: string | undefined): string[] => (v ?? '').split(',').filter((s) => s !== '');
  const args = [...argv];
  for (let a = args.shift(); a !== undefined; a = args.shift()) {
    const arg = a;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (eq > 0 ? arg.slice(eq + 1) : args.shift());
    switch (name) {
      case '--runs': o.runs = int(name, value()); break;
      case '--slow-runs': o.slowRuns = int(name, value()); break;
      case '--job-runs': o.jobRuns = int(name, value()); break;
      case '--db-runs': o.dbRuns = int(name, value()); break;
      case '--scale-runs': o.scaleRuns = int(name, value()); break;
      case '--scales': o.scales = list(value()).map((s) => int(name, s)); break;
      case '--store-views': o.storeViews = int(name, value()); break;
      case '--store-seed': o.storeSeed = int(name, value()); break;
      case '--store-products': o.storeProducts = int(name, value()); break;
      case '--store-runs': o.storeRuns = int(name, value()); break;
      case '--only': o.only = new Set(list(value())); onlyGiven = true; break;
      case '--skip': o.skip = new Set(list(value())); break;
      case '--data': o.data = resolve(value() ?? fail('--data needs a directory')); break;
      case '--out': o.out = resolve(value() ?? fail('--out needs a file')); break;
      case '--notes': o.notes = resolve(value() ?? fail('--notes needs a file')); break;
      case '--keep': o.keep = true; break;
      case '--baseline': o.baseline = resolve(value() ?? fail('--baseline needs a directory')); break;
      case '-h':
      case '--help': process.stdout.write(`${USAGE}\n`); process.exit(0); break;
      default: fail(`unknown option ${arg}\n${USAGE}`);
    }
  }
  for (const s of o.only) if (!SECTIONS.includes(s)) fail(`unknown section ${s}`);
  if (o.baseline !== undefined) {
    for (const f of BASELINE_FILES) {
      if (!existsSync(join(o.baseline, f))) fail(`--baseline ${o.baseline}: no ${f} (a checkout of this project with dist/ built?)`);
    }
  }
  if (o.out === undefined && !onlyGiven) o.out = join(ROOT, 'bench', 'RESULTS.md');
  return o;
}
