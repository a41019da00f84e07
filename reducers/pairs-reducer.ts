import { DEFAULT_PAIRS_OPTIONS, pairsOptionsProblem } from '../src/core/pairs/options';
import { PairsReducer } from '../src/core/pairs/reducer';
import { runMain, UsageError } from '../src/io/cli';
import { Counters } from '../src/io/counters';
import { FdSink } from '../src/io/sink';
import { maxLineOption, VIEW_LINE_BYTES, runStreaming, stderrWarn } from '../src/io/streaming';

const NAME = 'pairs-reducer';
const SUMMARY = `Phase 1 reducer. Reads path_id<TAB>product_id lines grouped by path_id and
writes source<TAB>target<TAB>weight for every ordered pair of distinct products
of a path. Bad lines are skipped and counted (reporter:counter lines on stderr).`;

runMain(
  NAME,
  SUMMARY,
  {
    'max-path-products': { kind: 'int', min: 0, default: DEFAULT_PAIRS_OPTIONS.maxPathProducts, help: 'skip paths with more distinct products (0 = no cap)' },
    'no-combine': { kind: 'flag', help: 'emit raw weight-1 pairs instead of combining in memory' },
    'memory-mb': { kind: 'int', min: 1, default: DEFAULT_PAIRS_OPTIONS.memoryMb, help: 'working memory of the combining, MiB: views held before their pairs are counted and written as one sorted run' },
    strict: { kind: 'flag', help: 'fail on the first bad line instead of skipping it' },
    supports: { kind: 'flag', help: 'also write each product\'s kept paths (a<TAB>a<TAB>n) and the kept paths (<TAB><TAB>N), for the scores' },
    ...maxLineOption(VIEW_LINE_BYTES),
  },
  (opts) => {
    const problem = pairsOptionsProblem({ memoryMb: opts.memoryMb });
    if (problem !== null) throw new UsageError(problem);
    const out = new FdSink(1);
    const counters = new Counters();
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
