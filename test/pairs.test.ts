import fc from 'fast-check';
import { blockSizes, PairsOptions } from '../src/core/pairs/options';
import { PairsReducer } from '../src/core/pairs/reducer';
import { StrictModeError } from '../src/core/skips';
import { Counters } from '../src/io/counters';
import { MemorySink } from '../src/io/sink';
import { orderedPairs } from './helpers/pairs-reference';

/** Runs the phase-1 reducer over sorted-by-path lines; returns output rows (sorted) and counters. */
function reduce(input: string[], opts: Partial<PairsOptions> = {}): { rows: string[]; c: Counters; warnings: string[] } {
  const sink = new MemorySink();
  const c = new Counters();
  const warnings: string[] = [];
  const r = new PairsReducer(sink, c, opts, (w) => warnings.push(w));
  for (const line of input) {
    const b = Buffer.from(line, 'latin1');
    r.line(b, 0, b.length);
  }
  r.end();
  const rows = sink.text().split('\n').filter((l) => l !== '');
  return { rows: rows.sort(), c, warnings };
}

/** Sums rows `a\tb\tw` per pair (so combined and raw output can be compared). */
/** Unsorted output lines, as the reducer wrote them. */
function rawOut(input: string[], opts: Partial<PairsOptions>): string[] {
  const sink = new MemorySink();
  const r = new PairsReducer(sink, new Counters(), opts);
  for (const line of input) {
    const b = Buffer.from(line, 'latin1');
    r.line(b, 0, b.length);
  }
  r.end();
  return sink.text().split('\n').slice(0, -1);
}

function weights(rows: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const i = r.lastIndexOf('\t');
    out[r.slice(0, i)] = (out[r.slice(0, i)] ?? 0) + Number(r.slice(i + 1));
  }
  return out;
}

describe('orderedPairs (reference semantics)', () => {
  const cases: Array<[string[], Array<[string, string]>]> = [
    [[], []],
    [['a'], []],
    [['a', 'a'], []],
    [['a', 'b'], [['a', 'b'], ['b', 'a']]],
    [['a', 'b', 'a'], [['a', 'b'], ['b', 'a']]],
    [['a', 'b', 'c'], [['a', 'b'], ['a', 'c'], ['b', 'a'], ['b', 'c'], ['c', 'a'], ['c', 'b']]],
  ];
  test.each(cases)('%j', (products, pairs) => {
    expect(orderedPairs(products)).toEqual(pairs);
  });
});

describe('PairsReducer', () => {
  const modes: Array<[string, Partial<PairsOptions>]> = [
    ['combining (one block)', {}],
    ['combining, a tiny block written often', { blockViews: 2 }],
    ['combining, a tiny budget', { memoryMb: 1 }],
    ['raw weight-1 pairs', { combine: false }],
  ];

  describe.each(modes)('%s', (_name, opts) => {
    test('emits every ordered pair of distinct products once per path', () => {
      const { rows, c } = reduce(['p1\ta', 'p1\tb', 'p1\tc', 'p2\ta', 'p2\tb'], opts);
      expect(weights(rows)).toEqual({ 'a\tb': 2, 'b\ta': 2, 'a\tc': 1, 'c\ta': 1, 'b\tc': 1, 'c\tb': 1 });
      expect(c.get('paths')).toBe(2);
      expect(c.get('pairs')).toBe(8);
      expect(c.get('pair_rows_out')).toBe(rows.length);
    });

    test('repeated views of a product in a path add no weight', () => {
      const { rows, c } = reduce(['p\ta', 'p\tb', 'p\ta', 'p\ta', 'p\tb'], opts);
      expect(weights(rows)).toEqual({ 'a\tb': 1, 'b\ta': 1 });
      expect(c.get('duplicate_views')).toBe(3);
      expect(c.get('views_in')).toBe(5);
    });

    test('a path with one distinct product emits nothing', () => {
      const { rows, c } = reduce(['p\ta', 'p\ta', 'q\tb'], opts);
      expect(rows).toEqual([]);
      expect(c.get('paths')).toBe(2);
    });

    test('ids are opaque bytes: 007/7, case, >2^53, non-UTF-8', () => {
      const big = '9007199254740993';
      const { rows } = reduce(['p\t007', 'p\t7', 'q\t85123A', 'q\t85123a', `r\t${big}`, `r\t${big.slice(0, -1)}2`, 's\t\xff', 's\t\xfe'], opts);
      expect(Object.keys(weights(rows)).sort()).toEqual(
        ['007\t7', '7\t007', '85123A\t85123a', '85123a\t85123A', `${big}\t9007199254740992`, `9007199254740992\t${big}`, '\xfe\t\xff', '\xff\t\xfe'].sort(),
      );
    });

    test('paths over the cap are skipped whole and counted; at the cap they are kept', () => {
      const input = ['big\ta', 'big\tb', 'big\tc', 'big\td', 'ok\ta', 'ok\tb', 'ok\tc'];
      const { rows, c } = reduce(input, { ...opts, maxPathProducts: 3 });
      expect(Object.keys(weights(rows)).length).toBe(6);
      expect(c.get('capped_paths')).toBe(1);
      expect(c.get('paths')).toBe(2);
      const uncapped = reduce(input, { ...opts, maxPathProducts: 0 });
      expect(uncapped.c.get('capped_paths')).toBe(0);
      expect(uncapped.c.get('pairs')).toBe(12 + 6);
    });

    test('repeated views do not count towards the cap', () => {
      const { c } = reduce(['p\ta', 'p\ta', 'p\tb', 'p\tb', 'p\tc'], { ...opts, maxPathProducts: 3 });
      expect(c.get('capped_paths')).toBe(0);
      expect(c.get('pairs')).toBe(6);
    });
  });

  test('bad lines are skipped, counted by reason, with at most five example warnings', () => {
    const input = ['path_id\tproduct_id', 'p\ta', '', 'nofield', 'p\t', '\tq', 'NULL\tx', 'p\tNULL', 'a\tb\tc', 'p\tb', 'x\t\t', 'p\tc\r'];
    const { rows, c, warnings } = reduce(input);
    expect(c.get('header_lines')).toBe(1);
    expect(c.get('skipped_wrong_field_count')).toBe(4);
    expect(c.get('skipped_empty_field')).toBe(2);
    expect(c.get('skipped_null_id')).toBe(2);
    expect(c.get('views_in')).toBe(3);
    // Bad lines inside a path's group do not split it.
    expect(c.get('paths')).toBe(1);
    expect(rows.length).toBe(6);
    expect(warnings.length).toBe(5);
    expect(warnings[0]).toContain('line 3');
  });

  test('--strict fails on the first bad line, naming it', () => {
    expect(() => reduce(['p\ta', 'p\tNULL'], { strict: true })).toThrow(StrictModeError);
    expect(() => reduce(['p\ta', 'p\tNULL'], { strict: true })).toThrow(/line 2.*null_id/);
    expect(() => reduce(['path_id\tproduct_id', 'p\ta'], { strict: true })).not.toThrow();
  });

  test('combining writes one row per pair when everything fits', () => {
    const input: string[] = [];
    for (let p = 0; p < 50; p++) for (const x of ['a', 'b', 'c']) input.push(`p${String(p).padStart(2, '0')}\t${x}`);
    const { rows, c } = reduce(input);
    expect(rows).toEqual(['a\tb\t50', 'a\tc\t50', 'b\ta\t50', 'b\tc\t50', 'c\ta\t50', 'c\tb\t50']);
    expect(c.get('pairs')).toBe(300);
    const raw = reduce(input, { combine: false });
    expect(raw.rows.length).toBe(300);
    expect(weights(raw.rows)).toEqual(weights(rows));
  });

  test('bad memory budgets are refused', () => {
    expect(() => reduce([], { memoryMb: 0 })).toThrow(/--memory-mb/);
    expect(() => reduce([], { memoryMb: 1.5 })).toThrow(/--memory-mb/);
  });

  test('a full block is written before the next path: partial sums, each block in order', () => {
    const input = ['p1\ta', 'p1\tb', 'p2\ta', 'p2\tb', 'p3\ta', 'p3\tb'];
    // Each path holds 2 views: a block of 4 views holds two paths, then one.
    const out = rawOut(input, { blockViews: 4 });
    expect(out).toEqual(['a\tb\t2', 'b\ta\t2', 'a\tb\t1', 'b\ta\t1']);
    expect(reduce(input).rows).toEqual(['a\tb\t3', 'b\ta\t3']);
  });

  test.each([
    [1, 2048, 65536],
    [256, 1 << 19, 16777216],
    [4096, 1 << 19, 352321536],
  ])('--memory-mb %i holds up to %i ids and %i views', (memoryMb, ids, views) => {
    expect(blockSizes({ memoryMb, blockViews: 0, maxInternedIds: 0 })).toEqual({ ids, views });
  });

  // The raw emitter writes pieces of 4 to 8 bytes as two 32-bit words and others byte by byte.
  const idLengths: Array<[string, number[]]> = [
    ['1-byte ids (prefix under 4 bytes)', [1, 1, 1]],
    ['mixed 1 to 12 bytes (every word/byte combination)', [1, 2, 3, 4, 5, 6, 7, 8, 9, 12]],
    ['3 and 7 bytes (prefix and tail exactly at the word limits)', [3, 7, 3, 7]],
    ['the longest id a view may have (255 bytes, the tables\' column)', [2, 255, 5]],
  ];
  test.each(idLengths)('raw pairs are exact for %s', (_name, lengths) => {
    // Distinct ids of the given lengths, with varied bytes so a misplaced word shows.
    const ids = lengths.map((n, i) => Buffer.from(Array.from({ length: n }, (_, j) => 0x21 + ((i * 7 + j * 13) % 90))).toString('latin1'));
    const input = [...ids.map((id) => `p1\t${id}`), ...ids.slice(1).map((id) => `p2\t${id}`)];
    const { rows } = reduce(input, { combine: false });
    const expected = [...orderedPairs(ids), ...orderedPairs(ids.slice(1))].map(([a, b]) => `${a}\t${b}\t1`).sort();
    expect(rows).toEqual(expected);
  });

  describe('raw pairs of paths with 16+ products (written from per-length templates)', () => {
    /** The reducer's output lines in the order written. */
    const written = (input: string[]): string[] => {
      const sink = new MemorySink();
      const r = new PairsReducer(sink, new Counters(), { combine: false });
      for (const line of input) {
        const b = Buffer.from(line, 'latin1');
        r.line(b, 0, b.length);
      }
      r.end();
      return sink.text().split('\n').slice(0, -1);
    };
    /** What the reducer must write, in order: each path's pairs, source by source. */
    const expected = (paths: string[][]): string[] => paths.flatMap((ids) => orderedPairs(ids).map(([a, b]) => `${a}\t${b}\t1`));
    const input = (paths: string[][]): string[] =>
      paths.flatMap((ids, p) => ids.map((id) => `p${String(p).padStart(4, '0')}\t${id}`));

    test.each([
      ['1-byte ids only (one word per prefix, reaching into the previous line)', [1]],
      ['3-byte ids (prefix of exactly one word)', [3]],
      ['ids of 1 to 7 bytes mixed (every template)', [1, 2, 3, 4, 5, 6, 7]],
      ['ids of 1 to 12 bytes (prefixes over 8 bytes take the per-line loop)', [1, 4, 8, 9, 12, 2]],
    ] as Array<[string, number[]]>)('%s: every line, in order', (_name, lengths) => {
      // 40 distinct ids per path, bytes varied so a misplaced word shows.
      const paths = [0, 1, 2].map((p) =>
        Array.from({ length: 20 + 10 * p }, (_, i) => {
          const n = lengths[i % lengths.length];
          return Buffer.from(Array.from({ length: n }, (_, j) => 0x21 + ((i * 7 + j * 13 + p) % 90))).toString('latin1');
        }),
      ).map((ids) => [...new Set(ids)]);
      expect(paths.every((ids) => ids.length >= 16)).toBe(true);
      expect(written(input(paths))).toEqual(expected(paths));
    });

    test('any ids and path sizes around the threshold: every line, in order', () => {
      const id = fc.uint8Array({ minLength: 1, maxLength: 10 }).map((b) =>
        Buffer.from(b.map((x) => (x === 0x09 || x === 0x0a || x === 0x0d ? 0x41 : x))).toString('latin1'),
      );
      fc.assert(
        fc.property(fc.array(fc.uniqueArray(id, { minLength: 1, maxLength: 40, size: 'max' }), { minLength: 1, maxLength: 4 }), (paths) => {
          const clean = paths.map((ids) => ids.filter((x) => x !== 'NULL'));
          expect(written(input(clean))).toEqual(expected(clean.map((ids) => (ids.length >= 2 ? ids : []))));
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('a block writes its rows in byte order of the lines (the runner then merges instead of sorting)', () => {
    const layouts: Array<[string, Partial<PairsOptions>]> = [
      ['one block', {}],
      ['one block, a tiny budget', { memoryMb: 1 }],
    ];
    const byBytes = (lines: string[]): string[] =>
      lines.map((l) => Buffer.from(l, 'latin1')).sort(Buffer.compare).map((b) => b.toString('latin1'));

    test.each(layouts)('%s: ids that are prefixes of others, bytes below TAB, 007/7', (_name, opts) => {
      const ids = ['a', 'a\x01', 'a0', 'ab', '\x01', '7', '007', '70', 'b', '\xff', 'a\x08b'];
      const input = [...ids.map((id) => `p1\t${id}`), ...ids.slice(0, 5).map((id) => `p2\t${id}`)];
      const out = rawOut(input, opts);
      expect(out.length).toBe(ids.length * (ids.length - 1));
      expect(out).toEqual(byBytes(out));
    });

    test.each(layouts)('%s: any paths and ids', (_name, opts) => {
      const id = fc.string({ unit: fc.constantFrom('a', 'b', '0', '\x01', '\x08', 'c', '\xff'), minLength: 1, maxLength: 3 });
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat({ max: 5 }), id), { maxLength: 60 }), (views) => {
          const input = views.map(([p, v]) => `p${p}\t${v}`).sort();
          const out = rawOut(input, opts);
          expect(out).toEqual(byBytes(out));
        }),
        { numRuns: 300 },
      );
    });
  });

  test.each([
    ['one block', {}],
    ['id table reset between blocks', { maxInternedIds: 3 }],
    ['blocks of 5 views', { blockViews: 5 }],
  ] as Array<[string, Partial<PairsOptions>]>)('combined rows are exact for ids of 1 to 12 bytes and weights past 99 (%s)', (_name, opts) => {
    // A block writes `id<TAB>` of 2-8 bytes as two 32-bit words, longer ids byte by byte, and weights >= 100 digit by digit.
    const ids = [1, 2, 3, 4, 7, 8, 9, 12].map((n, i) => String.fromCharCode(0x41 + i).repeat(n));
    const input: string[] = [];
    for (let p = 0; p < 150; p++) {
      const path = `p${String(p).padStart(3, '0')}`;
      const chosen = ids.filter((_, i) => p < 40 || i % 2 === 0 || p % 7 === i);
      for (const id of chosen) input.push(`${path}\t${id}`);
    }
    const combined = weights(reduce(input, opts).rows);
    const raw = weights(reduce(input, { combine: false }).rows);
    expect(combined).toEqual(raw);
    expect(Math.max(...Object.values(combined))).toBeGreaterThan(99);
  });

  test('thousands of ids (the id table grows and rehashes) keep their bytes and weights', () => {
    // 9000 products, each viewed in paths with its neighbours; ids of varied length and bytes.
    const id = (i: number): string => (i % 3 === 0 ? `p${i}` : i % 3 === 1 ? `${i}\xff` : `0${i}`);
    const input: string[] = [];
    for (let i = 0; i < 9000; i++) input.push(`path${String(i).padStart(5, '0')}\t${id(i)}`, `path${String(i).padStart(5, '0')}\t${id(i + 1)}`);
    const { rows } = reduce(input.sort(), { blockViews: 64 });
    const w = weights(rows);
    expect(Object.keys(w).length).toBe(18000);
    expect(w[`${id(4500)}\t${id(4501)}`]).toBe(1);
    expect(w[`${id(8999)}\t${id(9000)}`]).toBe(1);
    expect(w[`${id(9000)}\t${id(8999)}`]).toBe(1);
  });

  test('a path bigger than the whole block falls back to raw pairs and stays exact', () => {
    const input = Array.from({ length: 8 }, (_, i) => `p\tid${i}`);
    const { rows } = reduce(input, { blockViews: 7 });
    expect(rows.length).toBe(56);
    expect(new Set(Object.values(weights(rows)))).toEqual(new Set([1]));
  });
});
