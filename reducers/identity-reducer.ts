import { runIdentity } from '../src/core/identity-task';
import { runMain } from '../src/io/cli';
import { maxLineOption, PAIR_LINE_BYTES } from '../src/io/streaming';

const NAME = 'identity-reducer';
const SUMMARY = `The reducer of a phase that only gathers lines (the supports phase: one
reducer, so one part file). Copies each input line to stdout, appending a TAB to
a line that has none, as the identity mapper does.
Counters on stderr: map_lines, skipped_too_long (the same task as the identity mapper's).`;

runMain(NAME, SUMMARY, maxLineOption(PAIR_LINE_BYTES), (opts) =>
  runIdentity(NAME, { maxLineBytes: opts.maxLineBytes, views: false, diagonal: false, offDiagonal: false }),
);
