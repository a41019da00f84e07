import { runIdentity } from '../src/core/identity-task';
import { runMain } from '../src/io/cli';
import { maxLineOption, PAIR_LINE_BYTES } from '../src/io/streaming';

const NAME = 'identity-mapper';
const SUMMARY = `The mapper of every phase. Copies each input line to stdout, appending a TAB
to a line that has none (Hadoop Streaming's key with an empty value).
With --views (phase 1), only views pass: the header is counted (header_lines)
and other bad lines are dropped, counted (skipped_*) and warned about as
FILE:LINE (FILE from $mapreduce_map_input_file, as Hadoop Streaming sets it).
A view's optional third column, its order (a number), is dropped, or with
--order required and kept; an order that is not a number is skipped_bad_order.
With --diagonal only the supports rows pass (first two fields the same: the
supports phase), with --off-diagonal all other lines (phase 2 when scoring).
Counters on stderr: map_lines, skipped_too_long (and with --views the others).`;

const OPTIONS = {
  ...maxLineOption(PAIR_LINE_BYTES),
  views: { kind: 'flag', help: "phase 1's input: pass views only, count and warn about the rest" },
  order: { kind: 'flag', help: 'with --views: views need a third column, their order (--score proximity), kept; two-column lines are skipped (skipped_missing_order)' },
  diagonal: { kind: 'flag', help: 'pass only lines whose first two fields are the same bytes (the supports)' },
  'off-diagonal': { kind: 'flag', help: 'drop those lines (phase 2 after phase 1 with --supports)' },
} as const;

runMain(NAME, SUMMARY, OPTIONS, (opts) => runIdentity(NAME, opts));
