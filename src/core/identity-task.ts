/**
 * The identity task the mappers and reducers that only pass lines on share
 * (dist/identity-mapper.js, dist/identity-reducer.js): lines copied as Hadoop
 * Streaming's identity would, with the views check or a diagonal filter on request.
 */
import { mapBlock, mapLine } from './mapper';
import { mapOrderedBlock } from './order';
import { isDiagonal } from './rank/supports';
import { Skips } from './skips';
import { inputSource, ViewCheck } from './view-check';
import { UsageError } from '../io/cli';
import { Counters } from '../io/counters';
import { FdSink } from '../io/sink';
import { runStreaming, stderrWarn } from '../io/streaming';

/** A line filter on the diagonal rows, line by line (off the default path). */
function diagonalFilter(keep: boolean): (buf: Buffer, start: number, end: number) => boolean {
  return (buf, start, end) => isDiagonal(buf, start, end) === keep;
}

/** What an identity task passes: everything, the views only (--views), or the diagonal rows or all others. */
export interface IdentityOptions {
  maxLineBytes: number;
  views: boolean;
  diagonal: boolean;
  offDiagonal: boolean;
  /** With views: the order column is required and kept (--score proximity). */
  order?: boolean;
}

/**
 * Runs an identity task over stdin: copies each line to stdout, appending a TAB
 * to a line that has none (Hadoop Streaming's key with an empty value), counting
 * map_lines and skipped_too_long on stderr; NAME signs its warnings.
 */
export function runIdentity(name: string, opts: IdentityOptions): void {
  const out = new FdSink(1);
  const counters = new Counters(['map_lines', 'skipped_too_long']);
  const warn = stderrWarn(name);
  const check = opts.views ? new ViewCheck(out, counters, warn, inputSource(process.env), opts.order === true) : null;
  const skips = new Skips(counters, false, warn, 'line');
  const tooLong = (lineNo: number): void => (check ? check.tooLong(lineNo) : skips.skip('too_long', lineNo, null));
  let lines = 0;
  if (opts.order && !check) throw new UsageError('--order goes with --views');
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
        const other = (ls: number, le: number, index: number): void => {
          if (le - ls > maxLineBytes) tooLong(before + index + 1);
          else if (check) check.line(buf, ls, le, before + index + 1);
          else mapLine(out, buf, ls, le);
        };
        lines += opts.order
          ? mapOrderedBlock(out, buf, start, end, maxLineBytes, other)
          : mapBlock(out, buf, start, end, maxLineBytes, other, check !== null);
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
}
