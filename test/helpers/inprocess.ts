/**
 * The job's pure pieces wired together in memory, as the local runner wires
 * the processes: map, partition (Hadoop's hash), byte-order sort, reduce;
 * twice. Lets property tests run thousands of cases quickly.
 */
import { mapLine } from '../../src/core/mapper';
import { PairsOptions } from '../../src/core/pairs/options';
import { PairsReducer } from '../../src/core/pairs/reducer';
import { partitionOfLine } from '../../src/core/partition';
import { SumReducer } from '../../src/core/sum/reducer';
import { Counters } from '../../src/io/counters';
import { LineSplitter } from '../../src/io/lines';
import { MemorySink } from '../../src/io/sink';

interface Consumer {
  line(b: Buffer, s: number, e: number): void;
  overlong(n: number): void;
  end(): void;
}

function feed(input: Buffer, consumer: Consumer): void {
  const s = new LineSplitter(
    (b, st, en) => consumer.line(b, st, en),
    (n) => consumer.overlong(n),
  );
  s.push(input);
  s.end();
  consumer.end();
}

function lines(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  feed(buf, { line: (b, s, e) => out.push(Buffer.from(b.subarray(s, e))), overlong: () => undefined, end: () => undefined });
  return out;
}

function phase(input: Buffer, keyFields: number, reducers: number, makeReducer: (sink: MemorySink, c: Counters) => Consumer, counters: Counters): Buffer {
  const mapped = new MemorySink();
  feed(input, { line: (b, s, e) => mapLine(mapped, b, s, e), overlong: () => undefined, end: () => undefined });
  const parts: Buffer[][] = Array.from({ length: reducers }, () => []);
  for (const l of lines(mapped.bytes())) parts[partitionOfLine(l, 0, l.length, keyFields, reducers)].push(l);
  const outs: Buffer[] = [];
  for (const part of parts) {
    part.sort(Buffer.compare);
    const sink = new MemorySink();
    const reducer = makeReducer(sink, counters);
    for (const l of part) reducer.line(l, 0, l.length);
    reducer.end();
    outs.push(Buffer.from(sink.bytes()));
  }
  return Buffer.concat(outs);
}

export function inProcessJob(input: Buffer, reducers: number, opts: Partial<PairsOptions> = {}): { importFile: Buffer; counters: Counters } {
  const c1 = new Counters();
  const p1 = phase(input, 1, reducers, (sink, c) => new PairsReducer(sink, c, opts), c1);
  const c2 = new Counters();
  const p2 = phase(p1, 2, reducers, (sink, c) => new SumReducer(sink, c), c2);
  const rows = lines(p2);
  rows.sort(Buffer.compare);
  const importFile = Buffer.concat(rows.flatMap((r) => [r, Buffer.from('\n')]));
  for (const [k, v] of c2.entries()) c1.add(k, v);
  return { importFile, counters: c1 };
}
