// Section 4 (`store`): the job at a store's size (issue #13) against DuckDB's
// best queries for the same tables, on the generated store data
// (bench/store-data.ts) at full and at a quarter size. Outputs are compared
// byte for byte before any time counts.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, int, mb, ratio, table } from '../format';
import { GOAL_STORE, type Goal } from '../goals';
import { log } from '../log';
import { bench, load, type RunSpec, type Stats } from '../measure';
import type { Options } from '../options';
import { DUCKDB_JOB, ROOT } from '../paths';
import { scratch } from '../scratch';
import { q, sh, sortFile } from '../shell';
import { storeParams, type StoreStats } from '../store-data';
import { storeViews } from '../store-file';
import { sameFile, verify } from '../verify';
import { duckdbVersion } from '../versions';

const TOP = 100;

interface Row {
  views: number;
  what: string;
  ours: Stats;
  duckdb: Stats | undefined;
  rows: number;
  summary: string; // the job's own account: pairs, time per phase
}

/** Whether run-job.sh has the --memory option yet (issue #13's budget). */
function hasMemoryOption(): boolean {
  return sh(`${q(join(ROOT, 'run-job.sh'))} --help`).includes('--memory');
}

/** The job's summary lines worth keeping: emitted pairs and the time per phase. */
function jobSummary(logFile: string, stats: StoreStats): string {
  const text = readFileSync(logFile, 'utf8');
  const pairs = text.match(/^\s*pairs\s+(\d+) \(phase-1 rows after combining: (\d+)\)/m);
  const time = text.match(/^\s*time\s+(.+)$/m);
  if (pairs !== null) {
    verify(`the job emitted the generator's ${int(stats.pairs)} pairs`, Number(pairs[1]) === stats.pairs, `(job: ${pairs[1] ?? '?'})`);
  }
  const parts: string[] = [];
  if (pairs !== null) parts.push(`${int(Number(pairs[1]))} pairs, ${int(Number(pairs[2]))} after combining`);
  if (time !== null) parts.push((time[1] ?? '').trim());
  return parts.join('; ');
}

/** file, sorted by line in byte order: itself when it already is (`sort -c`), else a sorted copy. */
function sortedFile(file: string): string {
  const r = sh(`if sort -c ${q(file)} 2>/dev/null; then echo sorted; else echo unsorted; fi`).trim();
  if (r === 'sorted') return file;
  const out = `${file}.sorted`;
  sortFile(file, out);
  return out;
}

/** Our result equals DuckDB's byte for byte after `LC_ALL=C sort`; the bench stops otherwise. */
function compare(what: string, ours: string, duckdb: string): number {
  const a = sortedFile(ours);
  const b = sortedFile(duckdb);
  const same = sameFile(a, b);
  const detail = same ? '' : sh(`cmp ${q(a)} ${q(b)} || true`).trim();
  verify(`${what}: our viewed_products.tsv equals DuckDB's (sorted, byte for byte)`, same, detail);
  return Number(sh(`wc -l < ${q(a)}`).trim());
}

function runOurs(o: Options, views: string, extra: string[], what: string): { stats: Stats; file: string; log: string } {
  const outDir = scratch('store-ours');
  const logFile = scratch('store-ours.log');
  const spec: RunSpec = { cmd: [join(ROOT, 'run-job.sh'), '--input', views, '--output', outDir, ...extra], stderr: logFile };
  const r = bench(`ours: ${what}`, o.storeRuns, spec, () => rmSync(outDir, { recursive: true, force: true }));
  return { stats: r.stats, file: join(outDir, 'viewed_products.tsv'), log: logFile };
}

function runDuckDB(o: Options, views: string, top: number, what: string): { stats: Stats; file: string } {
  const out = scratch('store-duckdb.tsv');
  const temp = scratch('duckdb-temp');
  const extra = top > 0 ? ['--top', String(top)] : [];
  const spec: RunSpec = { cmd: ['node', DUCKDB_JOB, views, out, '--temp-dir', temp, ...extra] };
  const r = bench(`DuckDB: ${what}`, o.storeRuns, spec, () => rmSync(temp, { recursive: true, force: true }));
  rmSync(temp, { recursive: true, force: true });
  return { stats: r.stats, file: out };
}

/** One table at one size: ours, DuckDB, outputs compared; the scratch outputs removed. */
function measure(o: Options, views: string, stats: StoreStats, top: number): Row {
  const what = `${int(stats.views)} views, ${top > 0 ? `--top ${top}` : 'full table'}`;
  log(`store: ${what} (load ${load()})`);
  const ours = runOurs(o, views, top > 0 ? ['--top', String(top)] : [], what);
  const summary = jobSummary(ours.log, stats);
  let duckdb: Stats | undefined;
  let rows: number;
  if (o.skip.has('duckdb')) {
    rows = Number(sh(`wc -l < ${q(ours.file)}`).trim());
  } else {
    const d = runDuckDB(o, views, top, what);
    duckdb = d.stats;
    rows = compare(what, ours.file, d.file);
    rmSync(d.file, { force: true });
    rmSync(`${d.file}.sorted`, { force: true });
  }
  rmSync(scratch('store-ours'), { recursive: true, force: true });
  return { views: stats.views, what: top > 0 ? `\`--top ${top}\`` : 'full table', ours: ours.stats, duckdb, rows, summary };
}

export function sectionStore(o: Options, goals: Goal[]): string {
  log('section 4: store scale against DuckDB');
  const sizes = [o.storeViews, Math.round(o.storeViews / 4)];
  const data = sizes.map((v) => {
    const f = storeViews(storeParams(v));
    log(`store data: ${f.file} (${f.cached ? 'cached' : `generated in ${f.seconds.toFixed(1)} s`}): ${JSON.stringify(f.stats)}`);
    return f;
  });
  const [full, quarter] = data;
  if (full === undefined || quarter === undefined) throw new Error('store: no data');
  const rows: Row[] = [
    measure(o, full.file, full.stats, 0),
    measure(o, full.file, full.stats, TOP),
    measure(o, quarter.file, quarter.stats, 0),
  ];
  const [fullRow, topRow, quarterRow] = rows as [Row, Row, Row];
  // goals: only now, every output having been compared
  if (fullRow.duckdb !== undefined) {
    const x = fullRow.duckdb.median / fullRow.ours.median;
    goals.push({ goal: 'store: full table at least as fast as DuckDB', measured: `${ratio(x)} DuckDB's speed`, met: x >= GOAL_STORE.fullVsDuckDB });
  }
  if (topRow.duckdb !== undefined) {
    const x = topRow.duckdb.median / topRow.ours.median;
    goals.push({ goal: `store: \`--top ${TOP}\` ${GOAL_STORE.topVsDuckDB}× faster than DuckDB's top ${TOP}`, measured: `${ratio(x)} faster`, met: x >= GOAL_STORE.topVsDuckDB });
  }
  const peak = Math.max(...rows.map((r) => r.ours.rssMB));
  goals.push({ goal: `store: largest process under ${GOAL_STORE.rssMB} MB (2 GiB)`, measured: `${mb(peak)} MB`, met: peak < GOAL_STORE.rssMB });
  const grow = fullRow.ours.median / quarterRow.ours.median;
  const viewsX = fullRow.views / quarterRow.views;
  goals.push({
    goal: `store: 4× the views in at most ${GOAL_STORE.quarterToFull}× the time`,
    measured: `${ratio(grow)} the time for ${ratio(viewsX)} the views`,
    met: grow <= GOAL_STORE.quarterToFull,
  });
  return storeMd(o, rows, data.map((d) => d.stats), hasMemoryOption());
}

function storeMd(o: Options, rows: Row[], data: StoreStats[], memory: boolean): string {
  const p = storeParams(o.storeViews);
  const dataRows = data.map((s) => [int(s.views), int(s.sessions), int(s.crawlerSessions), int(s.sessionsOverCap), int(s.maxDistinct), int(s.repeatedViews), int(s.pairs)]);
  const na = (s: Stats | undefined, f: (x: Stats) => string): string => (s === undefined ? 'skipped' : f(s));
  return [
    '## 4. Store scale against DuckDB',
    '',
    `Generated store data (\`bench/store-data.ts\`, seed ${p.seed}): ${int(p.products)} products in ${int(p.categories)} ` +
      `categories, Zipf popularity (exponent ${p.zipf}) globally and within a category; a session browses one or two ` +
      `categories; ${p.crawlerShare * 100}% of sessions are crawlers of ${p.crawlerMinViews}–${p.crawlerMaxViews} views; ` +
      'repeated views; rows in global time order (sessions interleaved, as an auto-increment table returns them), ' +
      '`path_id<TAB>product_id` without a header. "Pairs" = ordered pairs phase 1 emits (paths within the 1000-product cap).',
    '',
    table(['views', 'sessions', 'crawlers', 'paths over the cap', 'largest path', 'repeated views', 'pairs'], dataRows),
    '',
    `Ours: \`./run-job.sh --input F --output D\` (and \`--top ${TOP}\`), ${memory ? 'default `--memory`' : 'no `--memory` option in this run-job.sh'}. ` +
      `DuckDB ${duckdbVersion()} (\`bench/peers/duckdb-job.ts\`, all cores, its default memory_limit of 80% of RAM): distinct (path, product) rows, the path cap, ` +
      `\`count(*)\` self-join, \`SET temp_directory\` in the scratch directory, \`SET preserve_insertion_order = false\`, no ORDER BY (its file is sorted after, untimed; ours comes sorted); top ${TOP}: ` +
      `\`QUALIFY row_number() OVER (PARTITION BY source ORDER BY count DESC, target) <= ${TOP}\`. Each pair of results ` +
      `was compared byte for byte (after \`LC_ALL=C sort\`) before its times counted. ${o.storeRuns} run(s) each; ` +
      'peak RSS = the largest single process (GNU time). "DuckDB ÷ ours" above 1: ours is faster.',
    '',
    table(
      ['views', 'table', 'result rows', 'ours wall s', 'ours cpu s', 'ours peak RSS MB', 'DuckDB wall s', 'DuckDB cpu s', 'DuckDB peak RSS MB', 'DuckDB ÷ ours', 'the job\'s summary'],
      rows.map((r) => [
        int(r.views),
        r.what,
        int(r.rows),
        fmt(r.ours.median),
        fmt(r.ours.cpu),
        mb(r.ours.rssMB),
        na(r.duckdb, (d) => fmt(d.median)),
        na(r.duckdb, (d) => fmt(d.cpu)),
        na(r.duckdb, (d) => mb(d.rssMB)),
        na(r.duckdb, (d) => ratio(d.median / r.ours.median)),
        r.summary,
      ]),
    ),
  ].join('\n');
}
