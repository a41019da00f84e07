import { DEFAULT_PAIRS_OPTIONS, pairsOptionsProblem } from '../src/core/pairs/options';
import { PairsReducer } from '../src/core/pairs/reducer';
import { ProximityReducer } from '../src/core/pairs/proximity';
import { runMain, UsageError } from '../src/io/cli';
import { Counters } from '../src/io/counters';
import { FdSink } from '../src/io/sink';
import { maxLineOption, VIEW_LINE_BYTES, runStreaming, stderrWarn } from '../src/io/streaming';

const NAME = 'pairs-reducer';
const SUMMARY = `Phase 1 reducer. Reads path_id<TAB>product_id lines grouped by path_id and
writes source<TAB>target<TAB>weight for every ordered pair of distinct products
of a path. Bad lines are skipped and counted (reporter:counter lines on stderr).
With --proximity (--score proximity) it reads path_id<TAB>product_id<TAB>order
lines, orders each path's views and writes source<TAB>target<TAB>paths<TAB>weight,
weight the sum of round(10^10 / d) over the paths (docs/scores.md), or
source<TAB>target<TAB>/d for a pair of one path at distance d.`;

runMain(
  NAME,
  SUMMARY,
  {
    'max-path-products': { kind: 'int', min: 0, default: DEFAULT_PAIRS_OPTIONS.maxPathProducts, help: 'skip paths with more distinct products (0 = no cap)' },
    'no-combine': { kind: 'flag', help: 'emit raw weight-1 pairs instead of combining in memory' },
    'memory-mb': { kind: 'int', min: 1, default: DEFAULT_PAIRS_OPTIONS.memoryMb, help: 'working memory of the combining, MiB: views held before their pairs are counted and written as one sorted run' },
    strict: { kind: 'flag', help: 'fail on the first bad line instead of skipping it' },
    proximity: { kind: 'flag', help: 'views with an order: pairs with their proximity weights (--score proximity)' },
    supports: { kind: 'flag', help: 'also write each product\'s kept paths (a<TAB>a<TAB>n) and the kept paths (<TAB><TAB>N), for the scores' },
    ...maxLineOption(VIEW_LINE_BYTES),
  },
  (opts) => {
    const problem = pairsOptionsProblem({ memoryMb: opts.memoryMb });
    if (problem !== null) throw new UsageError(problem);
    const out = new FdSink(1);
    const counters = new Counters();
    if (opts.proximity) {
      if (opts.noCombine || opts.supports) throw new UsageError('--proximity takes neither --no-combine nor --supports');
      const options = { maxPathProducts: opts.maxPathProducts, memoryMb: opts.memoryMb, strict: opts.strict };
      runStreaming(new ProximityReducer(out, counters, options, stderrWarn(NAME)), out, counters, opts.maxLineBytes);
      return;
    }
    const reducer = new PairsReducer(
      out,
      counters,
      {
        maxPathProducts: opts.maxPathProducts,
        combine: !opts.noCombine,
        memoryMb: opts.memoryMb,
        strict: opts.strict,
        supports: opts.supports,
      },
      stderrWarn(NAME),
    );
    runStreaming(reducer, out, counters, opts.maxLineBytes);
  },
);
