/**
 * The local runner's shuffle: routes each mapper output line to the reducer
 * Hadoop's HashPartitioner would pick, one file per reducer, and reports
 * progress (rows, rate) on stderr. Not shipped to Hadoop.
 */
import * as fs from 'node:fs';
import { PartitionWriter } from '../src/core/partition';
import { runMain, UsageError } from '../src/io/cli';
import { Counters } from '../src/io/counters';
import { FdSink } from '../src/io/sink';
import { maxLineOption, PAIR_LINE_BYTES, runStreaming } from '../src/io/streaming';

const NAME = 'partition';
const SUMMARY = `Splits stdin lines into --parts files PREFIX-00000, PREFIX-00001, ... by
Hadoop's HashPartitioner on the streaming key (the first --key-fields fields),
or with --partition-fields P its KeyFieldBasedPartitioner -k1,P (the key's
first P fields).`;

/** 1234567 -> "1,234,567" (toLocaleString would load ICU at every start). */
function fmt(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

runMain(
  NAME,
  SUMMARY,
  {
    parts: { kind: 'int', min: 1, default: 1, help: 'number of reducers' },
    'key-fields': { kind: 'int', min: 1, default: 1, help: 'TAB-separated fields that form the key' },
    'partition-fields': { kind: 'int', min: 0, default: 0, help: 'hash only the first P key fields (KeyFieldBasedPartitioner -k1,P; 0 = the whole key)' },
    out: { kind: 'string', help: 'output file prefix (required)' },
    label: { kind: 'string', default: 'map', help: 'name shown in progress lines' },
    'progress-seconds': { kind: 'int', min: 0, default: 2, help: 'seconds between progress lines (0 = only the last)' },
    ...maxLineOption(8 * PAIR_LINE_BYTES),
  },
  (opts) => {
    const prefix = opts.out;
    if (prefix === undefined || prefix === '') throw new UsageError('--out PREFIX is required');
    const { parts, keyFields, label } = opts;
    const every = opts.progressSeconds * 1000;
    const sinks: FdSink[] = [];
    const files: string[] = [];
    for (let i = 0; i < parts; i++) {
      files.push(`${prefix}-${String(i).padStart(5, '0')}`);
      sinks.push(new FdSink(fs.openSync(files[i], 'w')));
    }
    const writer = new PartitionWriter(sinks, keyFields, opts.partitionFields);
    const t0 = Date.now();
    let next = t0 + every;
    let rows = 0;
    const progress = (final: boolean): void => {
      const secs = (Date.now() - t0) / 1000;
      const rate = secs > 0 ? rows / secs : rows;
      process.stderr.write(`${label}: ${fmt(rows)} rows${final ? ` in ${secs.toFixed(1)} s` : ''} (${fmt(rate)} rows/s)\n`);
    };
    const tick = (): void => {
      if (every > 0 && Date.now() >= next) {
        next += every;
        progress(false);
      }
    };
    const overlong = (length: number): never => {
      throw new Error(`a mapper output line of ${length} bytes is over --max-line-bytes`);
    };
    const counters = new Counters();
    runStreaming(
      {
        line(buf, start, end) {
          writer.line(buf, start, end);
          if ((++rows & 0xffff) === 0) tick();
        },
        overlong,
        block(buf, start, end, maxLineBytes) {
          rows += writer.block(buf, start, end, maxLineBytes, overlong);
          tick();
        },
        end() {
          for (const s of sinks) s.flush();
          progress(true);
        },
      },
      sinks[0],
      counters,
      opts.maxLineBytes,
    );
  },
  ['--out PREFIX [options] < input    (writes PREFIX-00000 ... one file per part)'],
);
