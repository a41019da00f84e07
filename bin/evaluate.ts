/**
 * Offline evaluation of the lists (src/eval/): hides the latest paths, runs the
 * real job on the rest once per score, and measures how often the product
 * viewed next is in the list of the product viewed before (HR@K, MRR@K), with
 * coverage and popularity, beside a popularity baseline, each against count by
 * a paired bootstrap. The table on stdout, progress on stderr, the verdict last.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runMain, UsageError } from '../src/io/cli';
import { writeFully } from '../src/io/fd';
import { DEFAULT_PAIRS_OPTIONS } from '../src/core/pairs/options';
import { hrChart } from '../src/eval/chart';
import { compareWithCount } from '../src/eval/compare';
import { CHART_DEPTH, evaluate } from '../src/eval/evaluate';
import { passSignalsToJob } from '../src/eval/job';
import { formatReport, ReportFormat } from '../src/eval/report';
import { ALL_RANKINGS, parseScores } from '../src/eval/scores';
import { fillOption } from '../src/eval/fill-option';

function share(text: string): number {
  const x = /^(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : NaN;
  if (!(x > 0 && x < 1)) throw new UsageError(`--test-share must be a number between 0 and 1 (exclusive), got ${JSON.stringify(text)}`);
  return x;
}

function format(text: string): ReportFormat {
  if (text !== 'table' && text !== 'tsv') throw new UsageError(`--format must be table or tsv, got ${JSON.stringify(text)}`);
  return text;
}

/** run-job.sh's rule for --window, checked before the long run. */
function windowDays(text: string): string {
  if (!/^\d{1,6}(\.\d{1,6})?$/.test(text) || !(Number(text) > 0)) throw new UsageError(`--window must be a positive number of days, got ${JSON.stringify(text)}`);
  return text;
}

/** --chart's file can be written (checked before the long run). */
function writableTarget(file: string): void {
  try {
    fs.accessSync(path.dirname(path.resolve(file)), fs.constants.W_OK);
    if (fs.existsSync(file)) fs.accessSync(file, fs.constants.W_OK);
  } catch {
    throw new UsageError(`--chart ${file}: cannot be written`);
  }
}

runMain(
  'evaluate',
  [
    'Splits the views by path (the latest --test-share of the paths, by their first view, are the test',
    'set), runs the real job (run-job.sh) on the rest once per score, and for each test view that follows',
    'a view of another product, looks for it in the top K of the previous product\'s list. Prints per',
    'score: HR@K (share of hits), MRR@K (mean 1/rank), coverage (share of training products with a list)',
    'and popularity (mean share of training paths that viewed a listed product), and the 95% intervals of',
    'each score\'s difference to count (a paired bootstrap over the test events, fixed seed). The last',
    'stderr line is the verdict, recommended: NAME (the highest HR@K among the scores not significantly',
    'worse than count on HR@K or MRR@K; count if none beats it). See docs/evaluation.md.',
    '',
    'Views: path_id<TAB>product_id<TAB>time lines (time: a number that orders the views; ties keep the',
    'file\'s order); bad lines are skipped and counted as the job does. run-job.sh --export-views FILE',
    'writes them from MySQL.',
    '',
    'Exit codes: 0 ok, 1 failure, 2 bad option or no time column, 3 the split leaves no test events or no',
    'training paths, 60 the file is not views, 130/143 interrupted; a failed job run: its exit code.',
  ].join('\n'),
  {
    views: { kind: 'string', help: 'views file, path_id<TAB>product_id<TAB>time (a file or a pipe)' },
    'test-share': { kind: 'string', default: '0.2', help: 'share of the paths in the test set, 0 < X < 1' },
    k: { kind: 'int', min: 1, default: 20, help: 'list length K' },
    scores: { kind: 'string', default: ALL_RANKINGS.join(','), help: 'scores to compare, comma-separated' },
    format: { kind: 'string', default: 'table', help: 'table (readable) or tsv (a header row, one row per score)' },
    chart: { kind: 'string', help: 'also write an SVG chart of HR@K for K = 1..50 per score to this file' },
    runner: { kind: 'string', help: 'run-job.sh --runner (local or hadoop; default local)' },
    reducers: { kind: 'int', min: 1, help: 'run-job.sh --reducers' },
    'max-path-products': { kind: 'int', min: 0, default: DEFAULT_PAIRS_OPTIONS.maxPathProducts, help: 'the job\'s path cap, for training and test paths (0 = none)' },
    'min-count': { kind: 'int', min: 1, help: 'run-job.sh --min-count' },
    window: { kind: 'string', help: 'run-job.sh --window DAYS: the job keeps the training paths whose first view lies within DAYS of the newest (times in Unix seconds)' },
    catalog: { kind: 'string', help: 'a catalog (serve.js --catalog): also the coverage of full lists and HR@K with the serve-time filters and fallbacks' },
  },
  async (opts) => {
    if (opts.views === undefined) throw new UsageError('--views FILE is required');
    if (!fs.existsSync(opts.views) || fs.statSync(opts.views).isDirectory()) throw new UsageError(`--views ${opts.views}: not a readable file`);
    const fmt = format(opts.format);
    if (opts.chart !== undefined) writableTarget(opts.chart);
    const jobOptions: string[] = [];
    if (opts.runner !== undefined) jobOptions.push('--runner', opts.runner);
    if (opts.reducers !== undefined) jobOptions.push('--reducers', String(opts.reducers));
    if (opts.minCount !== undefined) jobOptions.push('--min-count', String(opts.minCount));
    if (opts.window !== undefined) jobOptions.push('--window', windowDays(opts.window));
    const fill = opts.catalog === undefined ? null : fillOption(opts.catalog, opts.k, fmt);
    const options = {
      ...fill?.hooks,
      views: opts.views,
      testShare: share(opts.testShare),
      k: opts.k,
      scores: parseScores(opts.scores),
      depth: Math.max(opts.chart === undefined ? opts.k : Math.max(opts.k, CHART_DEPTH), fill?.depth ?? 0),
      maxPathProducts: opts.maxPathProducts,
      jobOptions,
      runJob: path.resolve(__dirname, '..', 'run-job.sh'),
    };
    passSignalsToJob();
    const results = await evaluate(options, (m) => process.stderr.write(`evaluate: ${m}\n`));
    if (opts.chart !== undefined) {
      const series = results.map((m) => ({ name: m.name, values: m.hrAt.slice(0, CHART_DEPTH) }));
      fs.writeFileSync(opts.chart, hrChart(series, `HR@K on ${path.basename(opts.views)} (${results[0]?.events ?? 0} test events)`));
      process.stderr.write(`evaluate: wrote the chart to ${opts.chart}\n`);
    }
    const { rows, verdict } = compareWithCount(results, opts.k);
    const table = Buffer.from(formatReport(rows, opts.k, fmt) + (fill === null ? '' : `\n${fill.table()}`));
    writeFully(1, table, table.length);
    // The last stderr line, for a store's script to read.
    if (verdict === null) process.stderr.write('evaluate: no verdict: count, the reference, is not in --scores\n');
    else process.stderr.write(`evaluate: ${verdict.reason}\nrecommended: ${verdict.recommended}\n`);
  },
  ['--views FILE [--k N] [--test-share X] [--scores LIST] [--format table|tsv] [--chart FILE] [--catalog FILE] [job options]'],
);
