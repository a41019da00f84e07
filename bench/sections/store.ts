// Section 4 (`store`): the job at a store's size (issues #13, #26) against
// the C floor (bench/peers/viewed_products.c: the same algorithm in plain
// single-threaded C) and DuckDB's best queries, on the generated store data
// (bench/store-data.ts) at full and at a quarter size. Every contender runs
// once per round, rounds alternate them (the machine's speed drifts), the
// ratios are of medians. Outputs are compared byte for byte after the first
// round, before any goal is computed.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, int, mb, ratio, table } from '../format';
import { GOAL_STORE, type Goal } from '../goals';
import { log } from '../log';
import { load, stats, timedRun, type RunSpec, type Sample, type Stats } from '../measure';
import type { Options } from '../options';
import { DUCKDB_JOB, PEERS, ROOT } from '../paths';
import { scratch } from '../scratch';
import { q, sh, sortFile } from '../shell';
import { storeParams, type StoreStats } from '../store-data';
import { storeViews } from '../store-file';
import { sameFile, verify } from '../verify';
import { duckdbVersion } from '../versions';

const TOP = 100;

/** One timed command of the section: what it runs, where its result lands, its samples. */
interface Contender {
  key: 'c' | 'full' | 'top' | 'duckFull' | 'duckTop' | 'quarter';
  label: string;
  spec: RunSpec;
  /** The result file its run writes. */
  file: string;
  /** Removes what a run wrote (before each run). */
  clean: () => void;
  samples: Sample[];
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

/** Two results equal byte for byte (b sorted first unless `inOrder`); the bench stops otherwise. */
function compare(what: string, ours: string, other: string, inOrder: boolean): number {
  const b = inOrder ? other : sortedFile(other);
  const same = sameFile(ours, b);
  const detail = same ? '' : sh(`cmp ${q(ours)} ${q(b)} || true`).trim();
  verify(what, same, detail);
  if (b !== other) rmSync(b, { force: true });
  return Number(sh(`wc -l < ${q(ours)}`).trim());
}

function jobContender(key: Contender['key'], label: string, views: string, extra: string[]): Contender {
  const outDir = scratch(`store-${key}`);
  const spec: RunSpec = { cmd: [join(ROOT, 'run-job.sh'), '--input', views, '--output', outDir, ...extra], stderr: scratch(`store-${key}.log`) };
  return { key, label, spec, file: join(outDir, 'viewed_products.tsv'), clean: () => rmSync(outDir, { recursive: true, force: true }), samples: [] };
}

function duckContender(key: Contender['key'], label: string, views: string, top: number): Contender {
  const out = scratch(`store-${key}.tsv`);
  const temp = scratch(`store-${key}-temp`);
  const extra = top > 0 ? ['--top', String(top)] : [];
  const spec: RunSpec = { cmd: ['node', DUCKDB_JOB, views, out, '--temp-dir', temp, ...extra] };
  const clean = (): void => {
    rmSync(temp, { recursive: true, force: true });
    rmSync(out, { force: true });
  };
  return { key, label, spec, file: out, clean, samples: [] };
}

function cContender(views: string): Contender {
  const dir = scratch('peers');
  mkdirSync(dir, { recursive: true });
  const exe = join(dir, 'viewed_products');
  sh(`cc -O2 -o ${q(exe)} ${q(join(PEERS, 'viewed_products.c'))}`);
  const out = scratch('store-c.tsv');
  return { key: 'c', label: 'C floor, full table', spec: { cmd: [exe, views], stdout: out }, file: out, clean: () => rmSync(out, { force: true }), samples: [] };
}

export interface StoreRatios {
  fullVsC?: number;
  duckFullVsFull?: number;
  topVsFull: number;
  duckTopVsTop?: number;
  quarterToFull: number;
  peakMB: number;
}

/** The goals' ratios from the medians. */
function ratios(by: Map<Contender['key'], Stats>): StoreRatios {
  const m = (k: Contender['key']): number | undefined => by.get(k)?.median;
  const div = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined || b === undefined ? undefined : a / b);
  const full = m('full') ?? NaN;
  const peak = Math.max(...['full', 'top', 'quarter'].map((k) => by.get(k as Contender['key'])?.rssMB ?? 0));
  return {
    fullVsC: div(full, m('c')),
    duckFullVsFull: div(m('duckFull'), full),
    topVsFull: (m('top') ?? NaN) / full,
    duckTopVsTop: div(m('duckTop'), m('top')),
    quarterToFull: full / (m('quarter') ?? NaN),
    peakMB: peak,
  };
}

function pushGoals(goals: Goal[], r: StoreRatios): void {
  const g = GOAL_STORE;
  if (r.fullVsC !== undefined) goals.push({ goal: `store: full table at most ${g.fullVsC}× the C floor's time`, measured: `${ratio(r.fullVsC)}`, met: r.fullVsC <= g.fullVsC });
  if (r.duckFullVsFull !== undefined) {
    goals.push({ goal: `store: full table ${g.fullVsDuckDB}× faster than DuckDB's best`, measured: `${ratio(r.duckFullVsFull)} faster`, met: r.duckFullVsFull >= g.fullVsDuckDB });
  }
  goals.push({ goal: `store: \`--top ${TOP}\` at most ${g.topVsFull}× the job's full table`, measured: `${ratio(r.topVsFull)}`, met: r.topVsFull <= g.topVsFull });
  if (r.duckTopVsTop !== undefined) {
    goals.push({ goal: `store: \`--top ${TOP}\` ${g.topVsDuckDB}× faster than DuckDB's top ${TOP}`, measured: `${ratio(r.duckTopVsTop)} faster`, met: r.duckTopVsTop >= g.topVsDuckDB });
  }
  goals.push({ goal: `store: largest process under ${g.rssMB} MB (the default --memory)`, measured: `${mb(r.peakMB)} MB`, met: r.peakMB < g.rssMB });
  goals.push({ goal: `store: 4× the views in at most ${g.quarterToFull}× the time`, measured: `${ratio(r.quarterToFull)}`, met: r.quarterToFull <= g.quarterToFull });
}

export function sectionStore(o: Options, goals: Goal[]): string {
  log('section 4: store scale against the C floor and DuckDB');
  const sizes = [o.storeViews, Math.round(o.storeViews / 4)];
  const data = sizes.map((v) => {
    const f = storeViews(storeParams(v, o.storeSeed, o.storeProducts));
    log(`store data: ${f.file} (${f.cached ? 'cached' : `generated in ${f.seconds.toFixed(1)} s`}): ${JSON.stringify(f.stats)}`);
    return f;
  });
  const [full, quarter] = data;
  if (full === undefined || quarter === undefined) throw new Error('store: no data');
  const cs: Contender[] = [];
  if (!o.skip.has('c')) cs.push(cContender(full.file));
  cs.push(jobContender('full', 'ours, full table', full.file, []));
  cs.push(jobContender('top', `ours, \`--top ${TOP}\``, full.file, ['--top', String(TOP)]));
  if (!o.skip.has('duckdb')) {
    cs.push(duckContender('duckFull', 'DuckDB, full table', full.file, 0));
    cs.push(duckContender('duckTop', `DuckDB, top ${TOP}`, full.file, TOP));
  }
  cs.push(jobContender('quarter', 'ours, full table, a quarter of the views', quarter.file, []));
  const get = (k: Contender['key']): Contender | undefined => cs.find((c) => c.key === k);
  const rows = new Map<Contender['key'], number>();
  const summaries = new Map<Contender['key'], string>();
  for (let i = 0; i < o.storeRuns; i++) {
    log(`store: round ${i + 1}/${o.storeRuns} (load ${load()})`);
    for (const c of cs) c.samples.push(timedRun(c.label, i, o.storeRuns, c.spec, c.clean));
    if (i > 0) continue;
    // the first round's outputs, compared before any goal: the C floor's in order, DuckDB's after a sort
    const ours = get('full') as Contender;
    summaries.set('full', jobSummary(ours.spec.stderr ?? '', full.stats));
    summaries.set('top', jobSummary(get('top')?.spec.stderr ?? '', full.stats));
    summaries.set('quarter', jobSummary(get('quarter')?.spec.stderr ?? '', quarter.stats));
    const c = get('c');
    if (c !== undefined) rows.set('full', compare('full table: ours equals the C floor\'s, byte for byte', ours.file, c.file, true));
    const df = get('duckFull');
    if (df !== undefined) rows.set('full', compare('full table: ours equals DuckDB\'s (sorted)', ours.file, df.file, false));
    const dt = get('duckTop');
    const top = get('top') as Contender;
    if (dt !== undefined) rows.set('top', compare(`top ${TOP}: ours equals DuckDB's (sorted)`, top.file, dt.file, false));
    for (const k of ['full', 'top', 'quarter'] as const) if (!rows.has(k)) rows.set(k, Number(sh(`wc -l < ${q(get(k)?.file ?? '')}`).trim()));
    // the peers' results equal ours: the same rows
    for (const [peer, of] of [['c', 'full'], ['duckFull', 'full'], ['duckTop', 'top']] as const) if (get(peer) !== undefined) rows.set(peer, rows.get(of) ?? 0);
    for (const x of cs) x.clean();
  }
  for (const c of cs) c.clean();
  const by = new Map(cs.map((c) => [c.key, stats(c.samples)] as const));
  const r = ratios(by);
  pushGoals(goals, r);
  return storeMd(o, cs, by, rows, summaries, r, data.map((d) => d.stats));
}

function storeMd(
  o: Options,
  cs: Contender[],
  by: Map<Contender['key'], Stats>,
  rows: Map<Contender['key'], number>,
  summaries: Map<Contender['key'], string>,
  r: StoreRatios,
  data: StoreStats[],
): string {
  const p = storeParams(o.storeViews, o.storeSeed, o.storeProducts);
  const dataRows = data.map((s) => [int(s.views), int(s.sessions), int(s.crawlerSessions), int(s.sessionsOverCap), int(s.maxDistinct), int(s.repeatedViews), int(s.pairs)]);
  const opt = (x: number | undefined): string => (x === undefined ? 'skipped' : ratio(x));
  return [
    '## 4. Store scale against the C floor and DuckDB',
    '',
    `Generated store data (\`bench/store-data.ts\`, seed ${p.seed}): ${int(p.products)} products in ${int(p.categories)} ` +
      `categories, Zipf popularity (exponent ${p.zipf}) globally and within a category; a session browses one or two ` +
      `categories; ${p.crawlerShare * 100}% of sessions are crawlers of ${p.crawlerMinViews}–${p.crawlerMaxViews} views; ` +
      'repeated views; rows in global time order (sessions interleaved, as an auto-increment table returns them), ' +
      '`path_id<TAB>product_id` without a header. "Pairs" = ordered pairs phase 1 emits (paths within the 1000-product cap).',
    '',
    table(['views', 'sessions', 'crawlers', 'paths over the cap', 'largest path', 'repeated views', 'pairs'], dataRows),
    '',
    `Ours: \`./run-job.sh --input F --output D\` (and \`--top ${TOP}\`), default \`--memory\`. ` +
      'C floor: `bench/peers/viewed_products.c` (`cc -O2`, one thread): read, intern, rank by bytes, count row by row, write sorted rows; ' +
      `its output equals ours byte for byte. DuckDB ${duckdbVersion()} (\`bench/peers/duckdb-job.ts\`, all cores, its default memory_limit of 80% of RAM): distinct (path, product) rows, the path cap, ` +
      `\`count(*)\` self-join, \`SET preserve_insertion_order = false\`, no ORDER BY (its file is sorted after, untimed; ours comes sorted); top ${TOP}: ` +
      `\`QUALIFY row_number() OVER (PARTITION BY source ORDER BY count DESC, target) <= ${TOP}\`. ${o.storeRuns} round(s), each running every ` +
      'command once in the order below (alternating); medians; peak RSS = the largest single process (GNU time).',
    '',
    table(
      ['command', 'result rows', 'wall s (median)', 'min–max', 'cpu s', 'peak RSS MB', 'the job\'s summary (first round)'],
      cs.map((c) => {
        const s = by.get(c.key) as Stats;
        return [c.label, rows.has(c.key) ? int(rows.get(c.key) as number) : '', fmt(s.median), `${fmt(s.min)}–${fmt(s.max)}`, fmt(s.cpu), mb(s.rssMB), summaries.get(c.key) ?? ''];
      }),
    ),
    '',
    table(
      ['full ÷ C floor', 'DuckDB full ÷ full', `top ${TOP} ÷ full`, `DuckDB top ${TOP} ÷ top ${TOP}`, 'full ÷ quarter'],
      [[opt(r.fullVsC), opt(r.duckFullVsFull), ratio(r.topVsFull), opt(r.duckTopVsTop), ratio(r.quarterToFull)]],
    ),
  ].join('\n');
}
