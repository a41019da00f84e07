/**
 * The local runner's shuffle: routes each mapper output line to the reducer
 * Hadoop's HashPartitioner would pick, one file per reducer, and reports
 * progress (rows, rate) on stderr. Not shipped to Hadoop.
 */
import * as fs from 'node:fs';
import { OrderCheck, partitionOfLine } from '../src/core/partition';
import { runMain, UsageError } from '../src/io/cli';
import { Counters } from '../src/io/counters';
import { FdSink, putBytes } from '../src/io/stdio';
import { maxLineOption, PAIR_LINE_BYTES, runStreaming } from '../src/io/streaming';

const NAME = 'partition';
const SUMMARY = `Splits stdin lines into --parts files PREFIX-00000, PREFIX-00001, ... by
Hadoop's HashPartitioner on the streaming key (the first --key-fields fields).
With --mark-sorted, also creates an empty PREFIX-NNNNN.sorted next to each file
whose lines came in byte order (LC_ALL=C sort's), so the runner can merge it.`;

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

runMain(
  NAME,
  SUMMARY,
  [
    { name: 'parts', kind: 'int', min: 1, default: 1, help: 'number of reducers' },
    { name: 'key-fields', kind: 'int', min: 1, default: 1, help: 'TAB-separated fields that form the key' },
    { name: 'out', kind: 'string', help: 'output file prefix (required)' },
    { name: 'label', kind: 'string', default: 'map', help: 'name shown in progress lines' },
    { name: 'progress-seconds', kind: 'int', min: 0, default: 2, help: 'seconds between progress lines (0 = only the last)' },
    { name: 'mark-sorted', kind: 'flag', help: 'mark each output file whose lines are in byte order (PREFIX-NNNNN.sorted)' },
    maxLineOption(8 * PAIR_LINE_BYTES),
  ],
  (opts) => {
    const prefix = opts.out;
    if (typeof prefix !== 'string' || prefix === '') throw new UsageError('--out PREFIX is required');
    const parts = opts.parts as number;
    const keyFields = opts['key-fields'] as number;
    const label = opts.label as string;
    const every = (opts['progress-seconds'] as number) * 1000;
    const sinks: FdSink[] = [];
    const files: string[] = [];
    for (let i = 0; i < parts; i++) {
      files.push(`${prefix}-${String(i).padStart(5, '0')}`);
      fs.rmSync(`${files[i]}.sorted`, { force: true });
      sinks.push(new FdSink(fs.openSync(files[i] as string, 'w')));
    }
    const orders = opts['mark-sorted'] === true ? files.map(() => new OrderCheck()) : null;
    const t0 = Date.now();
    let next = t0 + every;
    let rows = 0;
    const progress = (final: boolean): void => {
      const secs = (Date.now() - t0) / 1000;
      const rate = secs > 0 ? rows / secs : rows;
      process.stderr.write(`${label}: ${fmt(rows)} rows${final ? ` in ${secs.toFixed(1)} s` : ''} (${fmt(rate)} rows/s)\n`);
    };
    const counters = new Counters();
    runStreaming(
      {
        line(buf, start, end) {
          const part = parts === 1 ? 0 : partitionOfLine(buf, start, end, keyFields, parts);
          const sink = sinks[part] as FdSink;
          if (orders !== null) (orders[part] as OrderCheck).check(buf, start, end);
          putBytes(sink, buf, start, end);
          sink.reserve(1)[sink.pos++] = 0x0a;
          sink.maybeFlush();
          if ((++rows & 0xffff) === 0 && every > 0 && Date.now() >= next) {
            next += every;
            progress(false);
          }
        },
        overlong(length) {
          throw new Error(`a mapper output line of ${length} bytes is over --max-line-bytes`);
        },
        end() {
          for (const s of sinks) s.flush();
          if (orders !== null) orders.forEach((o, i) => o.sorted && fs.writeFileSync(`${files[i]}.sorted`, ''));
          progress(true);
        },
      },
      sinks[0],
      counters,
      opts['max-line-bytes'] as number,
    );
  },
);
