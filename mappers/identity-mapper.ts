import { mapBlock, mapLine } from '../src/core/mapper';
import { Skips } from '../src/core/skips';
import { runMain } from '../src/io/cli';
import { Counters } from '../src/io/counters';
import { FdSink } from '../src/io/sink';
import { maxLineOption, PAIR_LINE_BYTES, runStreaming, stderrWarn } from '../src/io/streaming';

const NAME = 'identity-mapper';
const SUMMARY = `The mapper of both phases. Copies each input line to stdout, appending a TAB
to a line that has none (Hadoop Streaming's key with an empty value).
Counters on stderr: map_lines, skipped_too_long.`;

runMain(NAME, SUMMARY, maxLineOption(PAIR_LINE_BYTES), (opts) => {
  const out = new FdSink(1);
  const counters = new Counters(['map_lines', 'skipped_too_long']);
  const skips = new Skips(counters, false, stderrWarn(NAME), 'line');
  let lines = 0;
  runStreaming(
    {
      line(buf, start, end) {
        lines++;
        mapLine(out, buf, start, end);
        out.maybeFlush();
      },
      overlong() {
        lines++;
        skips.skip('too_long', lines, null);
      },
      block(buf, start, end, maxLineBytes) {
        const before = lines;
        lines += mapBlock(out, buf, start, end, maxLineBytes, (ls, le, index) => {
          if (le - ls > maxLineBytes) skips.skip('too_long', before + index + 1, null);
          else mapLine(out, buf, ls, le);
        });
        out.maybeFlush();
      },
      end() {
        counters.add('map_lines', lines);
      },
    },
    out,
    counters,
    opts.maxLineBytes,
  );
});
