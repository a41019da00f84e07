import { mapBlock, mapLine } from '../src/core/mapper';
import { isDiagonal } from '../src/core/rank/supports';
import { Skips } from '../src/core/skips';
import { inputSource, ViewCheck } from '../src/core/view-check';
import { runMain, UsageError } from '../src/io/cli';
import { Counters } from '../src/io/counters';
import { FdSink } from '../src/io/sink';
import { maxLineOption, PAIR_LINE_BYTES, runStreaming, stderrWarn } from '../src/io/streaming';

const NAME = 'identity-mapper';
const SUMMARY = `The mapper of both phases. Copies each input line to stdout, appending a TAB
to a line that has none (Hadoop Streaming's key with an empty value).
With --views (phase 1), only views pass: the header is counted (header_lines)
and other bad lines are dropped, counted (skipped_*) and warned about as
FILE:LINE (FILE from $mapreduce_map_input_file, as Hadoop Streaming sets it).
With --diagonal only the supports rows pass (first two fields the same: the
supports phase), with --off-diagonal all other lines (phase 2 when scoring).
Counters on stderr: map_lines, skipped_too_long (and with --views the others).`;

const OPTIONS = {
  ...maxLineOption(PAIR_LINE_BYTES),
  views: { kind: 'flag', help: "phase 1's input: pass views only, count and warn about the rest" },
  diagonal: { kind: 'flag', help: 'pass only lines whose first two fields are the same bytes (the supports)' },
  'off-diagonal': { kind: 'flag', help: 'drop those lines (phase 2 after phase 1 with --supports)' },
} as const;

/** A line filter on the diagonal rows, line by line (off the default path). */
function diagonalFilter(keep: boolean): (buf: Buffer, start: number, end: number) => boolean {
  return (buf, start, end) => isDiagonal(buf, start, end) === keep;
}

runMain(NAME, SUMMARY, OPTIONS, (opts) => {
  const out = new FdSink(1);
  const counters = new Counters(['map_lines', 'skipped_too_long']);
  const warn = stderrWarn(NAME);
  const check = opts.views ? new ViewCheck(out, counters, warn, inputSource(process.env)) : null;
  const skips = new Skips(counters, false, warn, 'line');
  const tooLong = (lineNo: number): void => (check ? check.tooLong(lineNo) : skips.skip('too_long', lineNo, null));
  let lines = 0;
  if (opts.diagonal || opts.offDiagonal) {
    if (opts.diagonal && opts.offDiagonal) throw new UsageError('--diagonal and --off-diagonal exclude each other');
    if (check) throw new UsageError('--views takes no diagonal filter');
    const pass = diagonalFilter(opts.diagonal);
    runStreaming(
      {
        line(buf, start, end) {
          lines++;
          if (pass(buf, start, end)) mapLine(out, buf, start, end);
          out.maybeFlush();
        },
        overlong() {
          lines++;
          tooLong(lines);
        },
        end() {
          counters.add('map_lines', lines);
        },
      },
      out,
      counters,
      opts.maxLineBytes,
    );
    return;
  }
  runStreaming(
    {
      line(buf, start, end) {
        lines++;
        if (check) check.line(buf, start, end, lines);
        else mapLine(out, buf, start, end);
        out.maybeFlush();
      },
      overlong() {
        lines++;
        tooLong(lines);
      },
      block(buf, start, end, maxLineBytes) {
        const before = lines;
        lines += mapBlock(
          out,
          buf,
          start,
          end,
          maxLineBytes,
          (ls, le, index) => {
            if (le - ls > maxLineBytes) tooLong(before + index + 1);
            else if (check) check.line(buf, ls, le, before + index + 1);
            else mapLine(out, buf, ls, le);
          },
          check !== null,
        );
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
