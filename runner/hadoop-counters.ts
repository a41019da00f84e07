/**
 * Prints the viewed_products job counters of a Hadoop client log (stdin) as
 * `phase<TAB>name<TAB>value` lines, for the hadoop and EMR runners. Exit 3 when
 * the log holds no job counters (yet), 2 on bad options.
 */
import * as fs from 'node:fs';
import { runMain, UsageError } from '../src/io/cli';
import { jobCounters } from '../src/job/hadoop-counters';

runMain(
  'hadoop-counters',
  'Prints the viewed_products job counters of the Hadoop client log on stdin as phase<TAB>name<TAB>value.',
  { phase: { kind: 'string', help: "the phase's id (a phase line of the plan), written in the first column (required)" } },
  (opts) => {
    const phase = opts.phase;
    if (phase === undefined) throw new UsageError('--phase is required');
    const found = jobCounters(fs.readFileSync(0, 'utf8'));
    process.stdout.write(found.counters.map(([name, value]) => `${phase}\t${name}\t${value}\n`).join(''));
    if (found.blocks === 0) process.exitCode = 3;
  },
);
