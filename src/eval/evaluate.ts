/**
 * The evaluation, start to end: views -> split -> training file for the job
 * and the test paths' events -> per score, the job's lists of the queried
 * products (or the popularity baseline) -> metrics. Memory holds each path's
 * first time, each training product's path count, the test paths' views and
 * events, and the queried products' lists; the training views stay on disk.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExitError } from '../io/cli';
import { ScoreName } from '../core/rank/scores';
import { TAB } from '../core/views';
import { buildEvents, Events, PathViews } from './events';
import { eachLine, scanViews, skippedLines, splitViews } from './input';
import { onInterrupt, runJob } from './job';
import { ListCollector } from './lists';
import { computeMetrics, Metrics } from './metrics';
import { mostPopular, popularityList, PopularityCounter } from './popularity';
import { isJobScore, jobScoreArgs, RankingName } from './scores';
import { testPaths } from './split';

/** Exit code when the split leaves nothing to measure. */
export const EXIT_NO_EVENTS = 3;
/** The chart's HR@k curve runs to this k at least. */
export const CHART_DEPTH = 50;

export interface EvalOptions {
  views: string;
  testShare: number;
  k: number;
  scores: readonly RankingName[];
  /** HR@k for k = 1 .. depth (>= k). */
  depth: number;
  maxPathProducts: number;
  /** run-job.sh options passed through (runner, reducers, min-count). */
  jobOptions: readonly string[];
  runJob: string;
  /** evaluate.js --catalog (fill-eval.ts): the test events, then each job score's result file before it is removed. */
  onEvents?: (events: Events) => void;
  onJobResult?: (score: ScoreName, resultFile: string) => void;
}

interface Training {
  file: string;
  counts: Map<string, number>;
  paths: number;
}

type Log = (message: string) => void;

/** Pass 1 and the split; pass 2 keeps the test paths' views and writes the training views, sorted and distinct. */
function split(o: EvalOptions, work: string, log: Log): { testViews: Map<string, PathViews>; testCount: number; file: string } {
  const copy = path.join(work, 'views.tsv');
  const scan = scanViews(o.views, copy, log);
  const paths = scan.firstTimes.size;
  const test = testPaths(scan.firstTimes, o.testShare);
  const { skipped, why } = skippedLines(scan.counters);
  log(`views: ${scan.views} in ${paths} paths (skipped lines: ${skipped}${why ? `: ${why}` : ''}); test paths: ${test.size} (the latest by first view), training paths: ${paths - test.size}`);
  if (test.size === 0 || test.size === paths) {
    throw new ExitError(`the split of ${paths} paths at --test-share ${o.testShare} leaves no ${test.size === 0 ? 'test' : 'training'} paths`, EXIT_NO_EVENTS);
  }
  scan.firstTimes.clear();
  const unsorted = path.join(work, 'train.unsorted.tsv');
  const testViews = splitViews(copy, test, unsorted);
  fs.rmSync(copy);
  const file = path.join(work, 'train.tsv');
  const sort = spawnSync('sort', ['-u', '-T', work, '-o', file, unsorted], { env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] });
  if (sort.status !== 0) throw new Error(`sorting the training views failed: ${sort.stderr.toString().trim()}`);
  fs.rmSync(unsorted);
  return { testViews, testCount: test.size, file };
}

function prepare(o: EvalOptions, work: string, log: Log): { events: Events; training: Training } {
  const { testViews, testCount, file } = split(o, work, log);
  const counter = new PopularityCounter(o.maxPathProducts);
  eachLine(file, (buf, start, end) => {
    const tab = buf.indexOf(TAB, start);
    const order = buf.indexOf(TAB, tab + 1);
    counter.add(buf.toString('latin1', start, tab), buf.toString('latin1', tab + 1, order < 0 || order > end ? end : order));
  });
  const counts = counter.end();
  const events = buildEvents(testViews.values(), o.maxPathProducts);
  if (counter.cappedPaths + events.cappedPaths > 0) {
    log(`paths over --max-path-products ${o.maxPathProducts}, skipped whole as the job skips them: ${counter.cappedPaths} training, ${events.cappedPaths} test`);
  }
  const unseen = (ids: readonly string[]): number => ids.reduce((n, p) => n + (counts.has(p) ? 0 : 1), 0);
  log(`test events: ${events.queries.length} (query unseen in training: ${unseen(events.queries)}, target unseen: ${unseen(events.targets)}); training products: ${counts.size}`);
  if (events.queries.length === 0) {
    throw new ExitError(`no test events: the ${testCount} test paths hold no view followed by a view of another product`, EXIT_NO_EVENTS);
  }
  return { events, training: { file, counts, paths: counter.paths } };
}

/** One job score's lists of the queried products, from a real run of the job. */
async function jobLists(o: EvalOptions, score: ScoreName, t: Training, queries: ReadonlySet<string>, work: string) {
  const out = path.join(work, `out-${score}`);
  const args = ['--input', t.file, '--output', out, '--max-path-products', String(o.maxPathProducts), ...o.jobOptions, ...jobScoreArgs(score, o.depth)];
  await runJob(o.runJob, args, `--score ${score}`);
  const collector = new ListCollector(queries, o.depth);
  const result = path.join(out, 'viewed_products.tsv');
  eachLine(result, collector.line, collector.overlong);
  o.onJobResult?.(score, result);
  fs.rmSync(out, { recursive: true });
  return { lists: collector.lists(), listed: collector.sourceCount() };
}

function popularityLists(o: EvalOptions, t: Training) {
  const top = mostPopular(t.counts, o.depth + 1);
  const memo = new Map<string, string[]>();
  const listOf = (q: string): string[] => {
    let l = memo.get(q);
    if (l === undefined) memo.set(q, (l = popularityList(top, q, o.depth)));
    return l;
  };
  // Every training product gets a list, unless it is the only product there is.
  const listed = top.length === 0 ? 0 : top.length === 1 ? t.counts.size - 1 : t.counts.size;
  return { listOf, listed };
}

export async function evaluate(o: EvalOptions, log: Log): Promise<Metrics[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-evaluate-'));
  const removeWork = (): void => fs.rmSync(work, { recursive: true, force: true });
  onInterrupt(removeWork);
  try {
    const { events, training } = prepare(o, work, log);
    o.onEvents?.(events);
    const queries = new Set(events.queries);
    const results: Metrics[] = [];
    for (const score of o.scores) {
      let listOf: (q: string) => readonly string[];
      let listed: number;
      if (isJobScore(score)) {
        log(`${score}: running the job on the training views`);
        const r = await jobLists(o, score, training, queries, work);
        listOf = (q) => r.lists.get(q) ?? [];
        listed = r.listed;
      } else {
        ({ listOf, listed } = popularityLists(o, training));
      }
      const m = computeMetrics({
        name: score,
        queries: events.queries,
        targets: events.targets,
        listOf,
        k: o.k,
        depth: o.depth,
        pathsOf: (p) => training.counts.get(p) ?? 0,
        trainingPaths: training.paths,
        trainingProducts: training.counts.size,
        listedProducts: listed,
      });
      log(`${score}: hr@${o.k} ${m.hr.toFixed(4)}, mrr@${o.k} ${m.mrr.toFixed(4)}`);
      results.push(m);
    }
    return results;
  } finally {
    onInterrupt(null);
    removeWork();
  }
}
