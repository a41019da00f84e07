import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hadoopHashBytes, hadoopPartition, LineRoute, PartitionWriter, partitionOfLine, routeLine, streamingKeyEnd } from '../src/core/partition';
import { FdSink } from '../src/io/sink';
import { partitionOfKey } from './helpers/text-forms';

/** Independent model of Java: int arithmetic as BigInt mod 2^32, bytes signed. */
function javaTextHash(bytes: number[]): number {
  let h = 1n;
  for (const b of bytes) h = BigInt.asIntN(32, 31n * h + BigInt(b > 127 ? b - 256 : b));
  return Number(h);
}

describe('Hadoop HashPartitioner on Text keys', () => {
  const cases: Array<[string, number]> = [
    ['', 1],
    ['1', 31 + 49],
    ['ab', 31 * (31 + 97) + 98],
    ['\xff', 31 - 1],
  ];
  test.each(cases)('hashBytes(%j) = %d', (key, expected) => {
    const b = Buffer.from(key, 'latin1');
    expect(hadoopHashBytes(b, 0, b.length)).toBe(expected);
  });

  test('matches the Java int model on long and non-ASCII keys (overflow wraps)', () => {
    const keys = ['196', '85123A\t85123a', 'x'.repeat(100), '\x80\x81\xfe\xff\t\x00', 'path-000123456789'];
    for (const k of keys) {
      const bytes = [...Buffer.from(k, 'latin1')];
      expect(hadoopHashBytes(Buffer.from(bytes), 0, bytes.length)).toBe(javaTextHash(bytes));
    }
  });

  test('partition = (hash & Integer.MAX_VALUE) % reducers, never negative', () => {
    expect(hadoopPartition(-1, 3)).toBe(0x7fffffff % 3);
    expect(hadoopPartition(-2147483648, 7)).toBe(0);
    expect(partitionOfKey('1', 3)).toBe(80 % 3);
    for (const k of ['a', 'b', 'c', '\xff\xff', 'zzzz']) {
      const p = partitionOfKey(k, 5);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(5);
    }
  });

  const keyCases: Array<[string, number, string]> = [
    ['a\tb\tc', 1, 'a'],
    ['a\tb\tc', 2, 'a\tb'],
    ['a\tb', 2, 'a\tb'],
    ['abc', 1, 'abc'],
    ['\tb', 1, ''],
  ];
  test.each(keyCases)('streaming key of %j with %d field(s) is %j', (line, fields, key) => {
    const b = Buffer.from(line, 'latin1');
    expect(b.toString('latin1', 0, streamingKeyEnd(b, 0, b.length, fields))).toBe(key);
  });
});

describe('routeLine (one pass, in a block) = partitionOfLine', () => {
  test('any line, key fields and reducers', () => {
    const line = fc.string({ unit: fc.constantFrom('a', 'b', '\t', '\r', '\xff', '\x80', '7'), maxLength: 14 });
    fc.assert(
      fc.property(line, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 7 }), (l, keyFields, reducers) => {
        const b = Buffer.from(`#${l}\n#`, 'latin1');
        const r: LineRoute = { end: -1, part: -1 };
        routeLine(b, 1, keyFields, reducers, r);
        expect(r.end).toBe(b.length - 2);
        expect(r.part).toBe(partitionOfLine(b, 1, b.length - 2, keyFields, reducers));
      }),
      { numRuns: 2000 },
    );
  });
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'partition-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let files = 0;

/** The real FdSink over a temporary file, flushing from 8 bytes on (so lines straddle flushes); text() reads it back. */
function smallFdSink(): { sink: FdSink; text: () => string } {
  const file = path.join(tmp, String(files++));
  const fd = fs.openSync(file, 'w');
  const sink = new FdSink(fd, 8);
  return {
    sink,
    text: () => {
      sink.flush();
      fs.closeSync(fd);
      return fs.readFileSync(file, 'latin1');
    },
  };
}

describe('PartitionWriter: block = line by line', () => {
  test('any lines: the same files, each line in its Hadoop partition', () => {
    const line = fc.string({ unit: fc.constantFrom('a', 'b', '\t', '\xff', '7', 'xyz'), maxLength: 12 });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 2 }), (lines, parts, keyFields) => {
        const run = (blocks: boolean): string[] => {
          const sinks = Array.from({ length: parts }, () => smallFdSink());
          const w = new PartitionWriter(sinks.map((k) => k.sink), keyFields);
          const b = Buffer.from(`#${lines.map((l) => `${l}\n`).join('')}`, 'latin1');
          if (blocks) {
            expect(w.block(b, 1, b.length, 1 << 20, () => undefined)).toBe(lines.length);
          } else {
            let s = 1;
            for (let i = 1; i < b.length; i++) {
              if (b[i] === 0x0a) {
                w.line(b, s, i);
                s = i + 1;
              }
            }
          }
          return sinks.map((k) => k.text());
        };
        const got = run(true);
        expect(got).toEqual(run(false));
        // Each line went to its Hadoop partition.
        got.forEach((text, part) => {
          for (const l of text.split('\n').slice(0, -1)) expect(partitionOfLine(Buffer.from(l, 'latin1'), 0, Buffer.byteLength(l, 'latin1'), keyFields, parts)).toBe(part);
        });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('PartitionWriter: line limit', () => {
  test.each([1, 3])('%i partition(s): a line over the limit is reported by its length', (parts) => {
    const sinks = Array.from({ length: parts }, () => smallFdSink());
    const w = new PartitionWriter(sinks.map((k) => k.sink), 1);
    const seen: number[] = [];
    const b = Buffer.from('a\tb\nlonglongline\nc\td\n', 'latin1');
    expect(w.block(b, 0, b.length, 8, (n) => seen.push(n))).toBe(3);
    expect(seen).toEqual([12]);
    // A block no longer than the limit cannot hold an overlong line.
    const small = Buffer.from('a\tb\nc\td\n', 'latin1');
    expect(w.block(small, 0, small.length, 8, (n) => seen.push(n))).toBe(2);
    expect(seen).toEqual([12]);
    for (const k of sinks) k.text(); // flush and close
  });
});
