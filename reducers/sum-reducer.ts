import { SumReducer } from '../src/core/sum/reducer';
import { runMain, UsageError } from '../src/io/cli';
import { Counters } from '../src/io/counters';
import { FdSink } from '../src/io/sink';
import { maxLineOption, PAIR_LINE_BYTES, runStreaming, stderrWarn } from '../src/io/streaming';

const NAME = 'sum-reducer';
const SUMMARY = `Phase 2 reducer (and combiner). Reads source<TAB>target<TAB>count lines grouped
by source<TAB>target and writes one line per pair with the counts summed.
Bad lines are skipped and counted (reporter:counter lines on stderr).`;

runMain(
  NAME,
  SUMMARY,
  {
    strict: { kind: 'flag', help: 'fail on the first bad line instead of skipping it' },
    role: { kind: 'string', default: 'reducer', help: 'reducer or combiner: only the counter names differ' },
    ...maxLineOption(PAIR_LINE_BYTES),
  },
  (opts) => {
    const out = new FdSink(1);
    const counters = new Counters();
    const role = opts.role;
    if (role !== 'reducer' && role !== 'combiner') throw new UsageError('--role must be reducer or combiner');
    const reducer = new SumReducer(out, counters, { strict: opts.strict, role }, stderrWarn(NAME));
    runStreaming(reducer, out, counters, opts.maxLineBytes);
  },
);
