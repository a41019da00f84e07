import fc from 'fast-check';
import { StrictModeError } from '../src/core/skips';
import { RankingSink } from '../src/core/rank/ranker';
import { SumReducer } from '../src/core/sum/reducer';
import { classifyPairRow, PairRowFields } from '../src/core/sum/rows';
import { Tally } from '../src/core/sum/tally';
import { Counters } from '../src/io/counters';
import { LineSplitter } from '../src/io/lines';
import { MemorySink } from '../src/io/sink';
import { sumCounts } from './helpers/text-forms';

function verdict(line: string): string {
  const b = Buffer.from(line, 'latin1');
  const f: PairRowFields = { keyEnd: 0, countStart: 0, countEnd: 0 };
  return classifyPairRow(b, 0, b.length, f);
}

function reduce(input: string[], opts: { strict?: boolean; role?: 'reducer' | 'combiner' } = {}): { out: string; c: Counters } {
  const sink = new MemorySink();
  const c = new Counters();
  const r = new SumReducer(sink, c, opts);
  for (const line of input) {
    const b = Buffer.from(line, 'latin1');
    r.line(b, 0, b.length);
  }
  r.end();
  return { out: sink.text(), c };
}

describe('classifyPairRow', () => {
  const cases: Array<[string, string]> = [
    ['a\tb\t1', 'ok'],
    ['a\tb\t12\r', 'ok'],
    ['a\tb\t007', 'ok'],
    ['a\tb', 'wrong_field_count'],
    ['a\tb\t1\t2', 'wrong_field_count'],
    ['\tb\t1', 'empty_field'],
    ['a\t\t1', 'empty_field'],
    ['a\tb\t', 'empty_field'],
    ['a\tb\t0', 'bad_count'],
    ['a\tb\t-1', 'bad_count'],
    ['a\tb\t1.5', 'bad_count'],
    ['a\tb\t 1', 'bad_count'],
    ['a\ta\t1', 'self_pair'],
    ['ab\ta\t1', 'ok'],
  ];
  test.each(cases)('%j -> %s', (line, expected) => {
    expect(verdict(line)).toBe(expected);
  });
});

describe('sumCounts / Tally', () => {
  const cases: Array<[string[], string]> = [
    [['1'], '1'],
    [['1', '2', '3'], '6'],
    [['007', '3'], '10'],
    [['9007199254740991', '1'], '9007199254740992'],
    [['9007199254740991', '9007199254740991'], '18014398509481982'],
    [['123456789012345678901234567890', '1'], '123456789012345678901234567891'],
  ];
  test.each(cases)('%j sums to %s', (counts, total) => {
    expect(sumCounts(counts)).toBe(total);
  });

  test('reset starts over, also after BigInt', () => {
    const t = new Tally();
    const big = Buffer.from('99999999999999999999');
    t.addDigits(big, 0, big.length);
    t.reset();
    t.addDigits(Buffer.from('5'), 0, 1);
    expect(t.value()).toBe(5);
  });
});

describe('SumReducer', () => {
  test('sums each run of equal keys and keeps input order', () => {
    const { out, c } = reduce(['a\tb\t1', 'a\tb\t2', 'a\tc\t5', 'b\ta\t1', 'b\ta\t1\r']);
    expect(out).toBe('a\tb\t3\na\tc\t5\nb\ta\t2\n');
    expect(c.get('pair_rows_in')).toBe(5);
    expect(c.get('result_rows_out')).toBe(3);
  });

  test('the key is both fields: a\\tbc and ab\\tc differ', () => {
    expect(reduce(['a\tbc\t1', 'ab\tc\t1']).out).toBe('a\tbc\t1\nab\tc\t1\n');
  });

  test('bad rows are skipped and counted without breaking a run', () => {
    const { out, c } = reduce(['a\tb\t1', 'garbage', 'a\tb\t2', 'x\tx\t1']);
    expect(out).toBe('a\tb\t3\n');
    expect(c.get('skipped_bad_pair_row')).toBe(2);
  });

  test('as a combiner it reports under its own counter names', () => {
    const { out, c } = reduce(['a\tb\t1', 'a\tb\t1'], { role: 'combiner' });
    expect(out).toBe('a\tb\t2\n');
    expect(c.get('combine_rows_in')).toBe(2);
    expect(c.get('combine_rows_out')).toBe(1);
    expect(c.get('result_rows_out')).toBe(0);
  });

  test('--strict fails on a bad row', () => {
    expect(() => reduce(['a\tb\tx'], { strict: true })).toThrow(StrictModeError);
  });

  test('empty input writes nothing', () => {
    expect(reduce([]).out).toBe('');
  });
});

describe('SumReducer.block (the one-pass path) = line by line', () => {
  /** Runs the reducer through a LineSplitter cut at `cuts`, with or without its block handler. */
  function viaSplitter(input: Buffer, cuts: number[], max: number, blocks: boolean): { out: string; counters: string; warnings: string[] } {
    const sink = new MemorySink();
    const c = new Counters();
    const warnings: string[] = [];
    const r = new SumReducer(sink, c, {}, (m) => warnings.push(m));
    const s = new LineSplitter(
      (b, st, en) => r.line(b, st, en),
      (n) => r.overlong(n),
      max,
      blocks ? (b, st, en) => r.block(b, st, en, max) : null,
    );
    let prev = 0;
    for (const cut of [...cuts.filter((x) => x <= input.length).sort((x, y) => x - y), input.length]) {
      s.push(Buffer.from(input.subarray(prev, cut)));
      prev = cut;
    }
    s.end();
    r.end();
    return { out: sink.text(), counters: c.reporterLines(), warnings };
  }

  const field = fc.constantFrom('a', 'b', 'ab', 'x\ty', '', 'NULL', '\r', 'é');
  const count = fc.constantFrom('1', '2', '10', '0', '00', '007', '', 'x', '1\r', '999999999999999', '9999999999999999', '1\t2');
  const row = fc.oneof(
    fc.tuple(field, field, count).map(([a, b, n]) => `${a}\t${b}\t${n}`),
    fc.constantFrom('', 'a', 'a\tb', 'a\ta\t1', 'q'.repeat(40), `a\t${'b'.repeat(30)}\t1`),
  );

  test('any rows, any chunk cuts, any line limit: same output, counters and warnings', () => {
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 40 }),
        fc.array(fc.nat({ max: 600 }), { maxLength: 6 }),
        fc.constantFrom(16, 24, 1 << 20),
        fc.boolean(),
        (rows, cuts, max, trailingNewline) => {
          // Sorted, as a reducer's input is, so equal keys form runs.
          const text = [...rows].sort().join('\n') + (trailingNewline && rows.length > 0 ? '\n' : '');
          const input = Buffer.from(text, 'latin1');
          expect(viaSplitter(input, cuts, max, true)).toEqual(viaSplitter(input, cuts, max, false));
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('valid rows only (runs of one-row groups copied whole, between summed groups): same output', () => {
    const id = fc.constantFrom('a', 'b', 'c', 'ab', '7', '007', 'é');
    const valid = fc.tuple(id, id, fc.constantFrom('1', '2', '10', '01')).filter(([a, b]) => a !== b).map(([a, b, n]) => `${a}\t${b}\t${n}`);
    fc.assert(
      fc.property(fc.array(valid, { minLength: 1, maxLength: 60 }), fc.array(fc.nat({ max: 400 }), { maxLength: 4 }), (rows, cuts) => {
        const input = Buffer.from([...rows].sort().join('\n') + '\n', 'latin1');
        expect(viaSplitter(input, cuts, 1 << 20, true)).toEqual(viaSplitter(input, cuts, 1 << 20, false));
      }),
      { numRuns: 1000 },
    );
    const input = Buffer.from('a\tb\t1\na\tc\t2\nb\ta\t1\nb\ta\t2\nc\ta\t1\nc\tb\t01\n', 'latin1');
    expect(viaSplitter(input, [], 1 << 20, true).out).toBe('a\tb\t1\na\tc\t2\nb\ta\t3\nc\ta\t1\nc\tb\t1\n');
  });

  test('counts past 2^53 continue exactly in the one-pass path', () => {
    const rows = `a\tb\t${'9'.repeat(15)}\n`.repeat(20) + 'a\tc\t1\n';
    const input = Buffer.from(rows, 'latin1');
    const got = viaSplitter(input, [], 1 << 20, true);
    expect(got.out).toBe(`a\tb\t${(BigInt('9'.repeat(15)) * 20n).toString()}\na\tc\t1\n`);
    expect(got).toEqual(viaSplitter(input, [], 1 << 20, false));
  });
});

describe('SumReducer with the lists as its PairRows (--top, --min-count) = its lines ranked after', () => {
  /** The reducer over input cut at `cuts`, writing to a RankingSink either way: direct (one-row groups handed over) or as lines. */
  function ranked(input: Buffer, cuts: number[], top: number, minCount: number, direct: boolean): string {
    const out = new MemorySink();
    const lists = new RankingSink(out, { score: 'count', top, minCount, supports: null });
    const r = new SumReducer(lists, new Counters(), direct ? { rows: lists } : {});
    const s = new LineSplitter((b, st, en) => r.line(b, st, en), (n) => r.overlong(n), 1 << 20, (b, st, en) => r.block(b, st, en, 1 << 20));
    let prev = 0;
    for (const cut of [...cuts.filter((x) => x <= input.length).sort((x, y) => x - y), input.length]) {
      s.push(Buffer.from(input.subarray(prev, cut)));
      prev = cut;
    }
    s.end();
    r.end();
    lists.end();
    return out.text();
  }

  test('any valid and bad rows, chunk cuts, --top and --min-count: same lists', () => {
    const id = fc.constantFrom('a', 'b', 'c', 'ab', '7', '007', 'é', '');
    const count = fc.constantFrom('1', '2', '3', '10', '01', '0', 'x', '999999999999999', '9999999999999999');
    const line = fc.tuple(id, id, count).map(([a, b, n]) => `${a}\t${b}\t${n}`);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.array(fc.nat({ max: 400 }), { maxLength: 4 }), fc.nat({ max: 3 }), fc.integer({ min: 1, max: 3 }), (rows, cuts, top, minCount) => {
        const input = Buffer.from([...rows].sort().join('\n') + '\n', 'latin1');
        expect(ranked(input, cuts, top, minCount, true)).toBe(ranked(input, cuts, top, minCount, false));
      }),
      { numRuns: 1500 },
    );
    const input = Buffer.from('a\tb\t1\na\tc\t2\na\td\t1\na\td\t1\nb\ta\t5\n', 'latin1');
    expect(ranked(input, [7], 2, 1, true)).toBe('a\tc\t2\na\td\t2\nb\ta\t5\n');
  });
});
