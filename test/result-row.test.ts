/**
 * The result-row module (src/core/rank/result-row.ts): which lines are rows,
 * the comparator against the tests' reference (test/helpers/ranking-reference.ts),
 * the bounded best-N holder against a whole sort, and every reader (related.js,
 * serve.js, evaluate.js, the demo) taking and ranking the same rows.
 */
import fc from 'fast-check';
import {
  BestRows,
  compareCounts,
  compareRows,
  RankKey,
  ResultLines,
  ResultRow,
  ResultRowError,
  rowOf,
  rowSpan,
} from '../src/core/rank/result-row';
import { ProductListScanner } from '../src/core/result-list';
import { TopRelated } from '../src/demo/related';
import { ListCollector } from '../src/eval/lists';
import { ResultLoader } from '../src/serve/file-store';
import { compareRanked, Ranked } from './helpers/ranking-reference';

const B = (s: string): Buffer => Buffer.from(s, 'latin1');

/** The row of one line, or null when it is not one. */
function parse(line: string): ResultRow | null {
  const buf = B(line);
  const s = rowSpan(buf, 0, buf.length);
  return s === null ? null : rowOf(buf, s);
}

describe('which lines are rows', () => {
  test.each([
    ['a\tb\t1', { source: 'a', target: 'b', count: '1', score: null, scoreText: null }],
    ['007\t7\t007', { source: '007', target: '7', count: '007', score: null, scoreText: null }],
    ['\xff\x80\t \\\t123456789012345678901234567890', { source: '\xff\x80', target: ' \\', count: '123456789012345678901234567890', score: null, scoreText: null }],
    ['a\tb\t2\t0.5', { source: 'a', target: 'b', count: '2', score: 0.5, scoreText: '0.5' }],
  ])('%j is a row', (line, row) => expect(parse(line)).toEqual(row));

  // What the job writes (formatScore: String of a finite double) and the other spellings of a finite decimal.
  test.each([
    ['0', 0],
    ['0.25', 0.25],
    ['1.5e-7', 1.5e-7],
    ['1e+21', 1e21],
    ['1E5', 1e5],
    ['1e-400', 0],
    ['-0', -0],
    ['+1', 1],
    ['.5', 0.5],
    ['5.', 5],
    ['17.000000000000004', 17.000000000000004],
    [`1${'0'.repeat(300)}`, 1e300],
    [`0.${'0'.repeat(400)}1`, 0],
  ])('score %j is %d', (text, value) => expect(parse(`a\tb\t1\t${text}`)?.score).toBe(value));

  test.each(['nan', 'NaN', 'inf', 'Infinity', '-Infinity', '1e999', '9'.repeat(400), '0x1F', '', ' 1', '1 ', '1e', 'e5', '.', '-', '1,5', '1_0', '0.5\t1'])(
    'score %j: not a row',
    (text) => expect(parse(`a\tb\t1\t${text}`)).toBeNull(),
  );

  test.each(['', '1e3', '-1', '+1', '1.0', ' 1', '1 ', '0x1', '١'])('count %j: not a row', (count) => expect(parse(`a\tb\t${count}`)).toBeNull());

  test.each(['a\tb', 'ab', '\tb\t1', 'a\t\t1', '', 'a\tb\t1\t0.5\t1'])('%j: not a row', (line) => expect(parse(line)).toBeNull());

  test('a file: lines numbered, blank ones and a trailing CR skipped, 3 or 4 columns throughout', () => {
    const lines = new ResultLines();
    const at = (line: string) => {
      const buf = B(line);
      const s = lines.span(buf, 0, buf.length);
      return s === null ? null : rowOf(buf, s).target;
    };
    expect([at(''), at('a\tb\t1\r'), at('\r'), at('a\tc\t2')]).toEqual([null, 'b', null, 'c']);
    expect(() => at('a\td\t2\t0.5')).toThrow(new ResultRowError('line 5 is not a result row (source<TAB>target<TAB>count[<TAB>score]) (3 columns before): "a\\td\\t2\\t0.5"'));
    expect(() => at(`a\t${'x'.repeat(100)}`)).toThrow(/^line 6 is not a result row .*: "a\\tx{78}\.\.\."$/);
    expect(() => lines.overlong(5)).toThrow(new ResultRowError('line 7: 5 bytes long, not a result row'));
    // A text line (the demo's): its UTF-8 bytes.
    expect(new ResultLines().row('a\té\t3')).toEqual({ source: 'a', target: '\xc3\xa9', count: '3', score: null, scoreText: null });
  });
});

describe('the comparator', () => {
  test.each([
    ['9', '10', -1],
    ['10', '9', 1],
    ['10', '10', 0],
    ['010', '10', 0],
    ['0', '00', 0],
    ['9007199254740993', '9007199254740992', 1],
    ['123456789012345678901234567890', '99', 1],
  ])('compareCounts(%s, %s) has the sign of %d', (a, b, sign) => expect(Math.sign(compareCounts(a, b))).toBe(sign));

  const target = fc.constantFrom('a', 'b', 'A', '10', '9', '010', 'a\xff', '\xff', '\x80', 'ab', 'a ', '\xc3\xa9');
  const count = fc.constantFrom('1', '2', '10', '9', '9007199254740992', '9007199254740993', '90071992547409930');
  const score = fc.constantFrom(0, 0.5, 1.5e-7, 1e21, 3, 17.000000000000004, 17);
  const toRef = (r: RankKey): Ranked => ({ target: B(r.target), count: r.count, score: r.score ?? Number(r.count) });

  test('= the reference (score desc, count desc exactly, target bytes asc), with and without scores', () => {
    fc.assert(
      fc.property(target, count, score, target, count, score, fc.boolean(), (t1, c1, s1, t2, c2, s2, scored) => {
        const x: RankKey = { target: t1, count: c1, score: scored ? s1 : null };
        const y: RankKey = { target: t2, count: c2, score: scored ? s2 : null };
        expect(Math.sign(compareRows(x, y))).toBe(Math.sign(compareRanked(toRef(x), toRef(y))));
      }),
      { numRuns: 3000 },
    );
  });

  test('BestRows keeps the same rows as a whole sort, at any keep, trimmed or not (keep*4+64)', () => {
    const rows = fc.uniqueArray(fc.tuple(fc.string({ unit: fc.constantFrom('a', '1', '\xff', 'B'), minLength: 1, maxLength: 6 }), count, score), {
      selector: (r) => r[0],
      maxLength: 300,
    });
    fc.assert(
      fc.property(rows, fc.constantFrom(0, 1, 2, 3, 10, 100), fc.boolean(), (list, keep, scored) => {
        const keys = list.map(([t, c, s]): RankKey => ({ target: t, count: c, score: scored ? s : null }));
        const best = new BestRows<RankKey>(keep);
        for (const k of keys) best.add(k);
        const want = [...keys].sort((x, y) => compareRanked(toRef(x), toRef(y)));
        expect(best.best()).toEqual(keep === 0 ? want : want.slice(0, keep));
      }),
      { numRuns: 300 },
    );
  });
});

/** Product p's targets, best 3 first, as each reader gives them, or 'error'. */
function readers(text: string): Record<string, string[] | 'error'> {
  const buf = B(text);
  const each = (line: (b: Buffer, s: number, e: number) => void, done: () => boolean = () => false): void => {
    let start = 0;
    while (start < buf.length && !done()) {
      let nl = buf.indexOf(10, start);
      if (nl < 0) nl = buf.length;
      line(buf, start, nl);
      start = nl + 1;
    }
  };
  const tryOr = (f: () => string[]): string[] | 'error' => {
    try {
      return f();
    } catch (e) {
      if (e instanceof ResultRowError) return 'error';
      throw e;
    }
  };
  return {
    related: tryOr(() => {
      const s = new ProductListScanner(B('p'), 3);
      each(s.line, () => s.done);
      return (s.rows() ?? []).map((r) => r.target);
    }),
    serve: tryOr(() => {
      const l = new ResultLoader(3);
      each(l.line);
      return (l.finish().get('p')?.rows ?? []).map((r) => r.target);
    }),
    evaluate: tryOr(() => {
      const c = new ListCollector(new Set(['p']), 3);
      each(c.line);
      return c.lists().get('p') ?? [];
    }),
    demo: tryOr(() => {
      const t = new TopRelated(['p'], 3);
      for (const line of text.split(/\r?\n/)) t.offer(line);
      return t.top('p').map((r) => Buffer.from(r.target, 'utf8').toString('latin1'));
    }),
  };
}

describe('every reader takes and ranks the same rows', () => {
  test.each([
    ['counts, ties by target bytes', 'p\t9\t3\np\t10\t3\np\tb\t12\np\tB\t3\n', ['b', '10', '9']],
    ['scores, then counts, then bytes', 'p\tx\t2\t0.5\np\ty\t5\t0.5\np\tz\t9\t1.5e-7\np\tw\t1\t1e+21\n', ['w', 'y', 'x']],
    ['counts past 2^53', 'p\ta\t9007199254740992\np\tb\t9007199254740993\np\tc\t1\np\td\t2\n', ['b', 'a', 'd']],
    ['CRLF and blank lines', 'p\ta\t1\r\n\np\tb\t2\r\n', ['b', 'a']],
    ['other sources around p', 'a\tb\t1\np\ta\t1\nq\tz\t5\n', ['a']],
    ['a nan score', 'p\ta\t1\t0.5\np\tb\t1\tnan\n', 'error'],
    ['an empty score', 'p\ta\t1\t\n', 'error'],
    ['inf', 'p\ta\t1\tinf\n', 'error'],
    ['a count in exponent form', 'p\ta\t1e3\n', 'error'],
    ['a hex score', 'p\ta\t1\t0x10\n', 'error'],
    ['3 columns then 4', 'p\ta\t1\np\tb\t1\t0.5\n', 'error'],
    ['five fields', 'p\ta\t1\t0.5\t2\n', 'error'],
    ['a bad line before the block', 'a\tb\tx\np\ta\t1\n', 'error'],
  ])('%s', (_name, text, want) => {
    expect(readers(text)).toEqual({ related: want, serve: want, evaluate: want, demo: want });
  });
});
