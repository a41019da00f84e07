/**
 * Drives a line consumer from a file descriptor (stdin by default) through the
 * shared line reader, then reports counters on stderr the way Hadoop Streaming
 * expects. The only I/O loop of the executables.
 */
import { IntOption } from './cli';
import { Counters } from './counters';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from './lines';
import { readAll } from './fd';
import { FdSink } from './sink';

export interface LineConsumer {
  line(buf: Buffer, start: number, end: number): void;
  overlong(length: number): void;
  end(): void;
  /** Optional: whole lines at once (see BlockHandler in lines.ts), same result as line by line. */
  block?(buf: Buffer, start: number, end: number, maxLineBytes: number): void;
}

/** Longest view line (phase-1 input) kept; longer ones are skipped and counted. */
export const VIEW_LINE_BYTES = DEFAULT_MAX_LINE_BYTES;
/** A pair row holds two ids and a count: the mapper and phase 2 allow twice a view line. */
export const PAIR_LINE_BYTES = 2 * VIEW_LINE_BYTES + 64;

export function maxLineOption(defaultBytes: number): { 'max-line-bytes': IntOption & { default: number } } {
  return {
    'max-line-bytes': {
      kind: 'int',
      min: 16,
      default: defaultBytes,
      help: 'longer lines are skipped and counted (skipped_too_long)',
    },
  };
}

export function stderrWarn(name: string): (message: string) => void {
  return (message) => process.stderr.write(`${name}: ${message}\n`);
}

/** Runs consumer over stdin; `out` is flushed at the end, counters are reported. */
export function runStreaming(consumer: LineConsumer, out: FdSink, counters: Counters, maxLineBytes: number, inputFd = 0): void {
  const splitter = new LineSplitter(
    (buf, start, end) => consumer.line(buf, start, end),
    (length) => consumer.overlong(length),
    maxLineBytes,
    consumer.block ? (buf, start, end) => consumer.block!(buf, start, end, maxLineBytes) : null,
  );
  readAll(inputFd, (chunk) => splitter.push(chunk));
  splitter.end();
  consumer.end();
  out.flush();
  process.stderr.write(counters.reporterLines());
}
