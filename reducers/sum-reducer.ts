import { readFileSync } from 'node:fs';
import { RankingSink } from '../src/core/rank/ranker';
import { isScoreName, needsSupports, SCORES } from '../src/core/rank/scores';
import { parseSupports } from '../src/core/rank/supports';
import { SumReducer } from '../src/core/sum/reducer';
import { ProximitySum } from '../src/core/sum/proximity-sum';
import { runMain, UsageError } from '../src/io/cli';
import { Counters } from '../src/io/counters';
import { FdSink } from '../src/io/sink';
import { maxLineOption, PAIR_LINE_BYTES, runStreaming, stderrWarn } from '../src/io/streaming';

const NAME = 'sum-reducer';
const SUMMARY = `Phase 2 reducer (and combiner). Reads source<TAB>target<TAB>count lines grouped
by source<TAB>target and writes one line per pair with the counts summed.
With --min-count, --score or --top (input grouped by source) it writes the
lists: pairs held by at least --min-count paths, scored (a 4th column unless
count), each source's --top best (score desc, count desc, target bytes asc).
With --score proximity (reducer and combiner) the rows are
source<TAB>target<TAB>paths<TAB>weight, or source<TAB>target<TAB>/d for one path at
distance d (weight W(d)), both summed; the reducer's score is weight / 10^10.
Bad lines are skipped and counted (reporter:counter lines on stderr).`;

runMain(
  NAME,
  SUMMARY,
  {
    strict: { kind: 'flag', help: 'fail on the first bad line instead of skipping it' },
    role: { kind: 'string', default: 'reducer', help: 'reducer or combiner: only the counter names differ' },
    'min-count': { kind: 'int', min: 1, default: 1, help: 'drop pairs held by fewer paths' },
    score: { kind: 'string', default: 'count', help: SCORES.join(', ') },
    top: { kind: 'int', min: 0, default: 0, help: "each source's N best targets (0 = all)" },
    supports: { kind: 'string', help: "the supports file (phase 1's diagonal rows), for a score other than count" },
    ...maxLineOption(PAIR_LINE_BYTES),
  },
  (opts) => {
    const out = new FdSink(1);
    const counters = new Counters();
    const role = opts.role;
    if (role !== 'reducer' && role !== 'combiner') throw new UsageError('--role must be reducer or combiner');
    const score = opts.score;
    if (!isScoreName(score)) throw new UsageError(`--score must be one of ${SCORES.join(', ')}`);
    if (score === 'proximity') {
      const sum = new ProximitySum(out, counters, { role, strict: opts.strict, minCount: opts.minCount, top: opts.top }, stderrWarn(NAME));
      runStreaming(sum, out, counters, opts.maxLineBytes);
      return;
    }
    if (needsSupports(score) && opts.supports === undefined) throw new UsageError(`--score ${score} needs --supports FILE`);
    if (score === 'count' && opts.top === 0 && opts.minCount === 1) {
      runStreaming(new SumReducer(out, counters, { strict: opts.strict, role }, stderrWarn(NAME)), out, counters, opts.maxLineBytes);
      return;
    }
    const supports = opts.supports === undefined ? null : parseSupports(readFileSync(opts.supports), opts.supports);
    const lists = new RankingSink(out, { score, top: opts.top, minCount: opts.minCount, supports });
    const reducer = new SumReducer(lists, counters, { strict: opts.strict, role, rows: lists }, stderrWarn(NAME));
    counters.add('list_rows_out', 0);
    runStreaming(
      {
        line: (buf, start, end) => reducer.line(buf, start, end),
        block: (buf, start, end, max) => reducer.block(buf, start, end, max),
        overlong: (length) => reducer.overlong(length),
        end: () => {
          reducer.end();
          lists.end();
          counters.add('list_rows_out', lists.rows);
        },
      },
      out,
      counters,
      opts.maxLineBytes,
    );
  },
);
