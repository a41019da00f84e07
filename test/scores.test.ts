/**
 * The ranked lists' pure parts: the scores (Mahout's published LLR values and
 * hand-computed ones), the score's text, the ranking order and the bounded
 * heap, the list writer behind phase 2's reducer, the supports file, and
 * KeyFieldBasedPartitioner's hash (phase 2 with --top).
 */
import { keyFieldHash, partitionOfKeyFields } from '../src/core/partition';
import { RankingSink } from '../src/core/rank/ranker';
import { compareRanked, Ranked } from './helpers/ranking-reference';
import { Candidates, TopN } from '../src/core/rank/top-n';
import { formatScore, logLikelihoodRatio, scoreOf } from '../src/core/rank/scores';
import { isDiagonal, parseSupports, Supports } from '../src/core/rank/supports';
import { PairsReducer } from '../src/core/pairs/reducer';
import { Counters } from '../src/io/counters';
import { MemorySink } from '../src/io/sink';

describe('logLikelihoodRatio = Mahout LogLikelihoodTest', () => {
  test.each([
    [[1, 0, 0, 1], 2.772589, 1e-6],
    [[10, 0, 0, 10], 27.72589, 1e-5],
    [[5, 1995, 0, 100000], 39.33052, 1e-5],
    [[1000, 1995, 1000, 100000], 4730.737, 1e-3],
    [[1000, 1000, 1000, 100000], 5734.343, 1e-3],
    [[1000, 1000, 1000, 99000], 5714.932, 1e-3],
  ])('llr(%j) = %d', (k, want, eps) => {
    const [k11, k12, k21, k22] = k;
    expect(Math.abs(logLikelihoodRatio(k11, k12, k21, k22) - want)).toBeLessThan(eps);
  });

  test('independence scores 0, never below (rounding is clamped)', () => {
    expect(logLikelihoodRatio(1, 1, 1, 1)).toBe(0);
    expect(logLikelihoodRatio(10, 20, 30, 60)).toBe(0);
    expect(logLikelihoodRatio(0, 0, 0, 0)).toBe(0);
  });

  test('a negative cell (supports below the count) is an error, not a score', () => {
    expect(() => logLikelihoodRatio(3, -1, 0, 5)).toThrow(/negative cell/);
  });
});

describe('scoreOf, by hand', () => {
  // c = 2 paths hold a and b; n(a) = 4, n(b) = 9; N = 20 kept paths.
  test.each([
    ['count', 2],
    ['cosine', 2 / 6],
    ['jaccard', 2 / 11],
    // k11 2, k12 2, k21 7, k22 9: 2 * (H(matrix) - H(rows) - H(cols)), xlogx terms.
    [
      'llr',
      2 *
        (20 * Math.log(20) - 2 * Math.log(2) - 2 * Math.log(2) - 7 * Math.log(7) - 9 * Math.log(9) -
          (4 * Math.log(4) - 2 * Math.log(2) - 2 * Math.log(2) + (16 * Math.log(16) - 7 * Math.log(7) - 9 * Math.log(9))) -
          (9 * Math.log(9) - 2 * Math.log(2) - 7 * Math.log(7) + (11 * Math.log(11) - 2 * Math.log(2) - 9 * Math.log(9)))),
    ],
  ] as const)('%s', (score, want) => {
    expect(scoreOf(score, 2, 4, 9, 20)).toBeCloseTo(want, 12);
  });
});

describe('formatScore', () => {
  test.each([
    [0.5, '0.5'],
    [1, '1'],
    [0, '0'],
    [1 / 3, '0.3333333333333333'],
    [1.5e-7, '1.5e-7'],
    [214.15104115426266, '214.15104115426266'],
  ])('%d -> %s', (x, s) => {
    expect(formatScore(x)).toBe(s);
  });

  test('reads back as the same double (so the database ranks by the job\'s values)', () => {
    for (let i = 0; i < 10000; i++) {
      const x = Math.random() * 10 ** Math.floor(Math.random() * 12 - 8);
      expect(Number(formatScore(x))).toBe(x);
    }
  });

  test('refuses NaN and infinities', () => {
    expect(() => formatScore(NaN)).toThrow();
    expect(() => formatScore(Infinity)).toThrow();
  });
});

const r = (target: string, count: string, score: number): Ranked => ({ target: Buffer.from(target, 'latin1'), count, score });

describe('ranking: score desc, count desc, target bytes asc', () => {
  test('each key decides in turn', () => {
    const rows = [r('b', '1', 2), r('a', '1', 2), r('c', '5', 1), r('z', '9', 3), r('d', '10', 1), r('\xff', '10', 1), r('A', '10', 1)];
    expect(rows.sort(compareRanked).map((x) => x.target.toString('latin1'))).toEqual(['z', 'a', 'b', 'A', 'd', '\xff', 'c']);
  });

  test('counts compare as numbers past 2^53 (by digits)', () => {
    expect(compareRanked(r('a', '90071992547409930', 1), r('a', '90071992547409929', 1))).toBeLessThan(0);
  });

  test('TopN keeps the N best of a source\'s targets (in byte order, as phase 2 reads them), ties at the cut decided by target', () => {
    const big = ['90071992547409929', '90071992547409930', '90071992547409931'];
    for (let trial = 0; trial < 300; trial++) {
      const huge = trial % 3 === 0;
      const all = Array.from({ length: 1 + Math.floor(Math.random() * 40) }, (_, i) =>
        r(`t${String((i * 7919) % 101).padStart(3, '0')}`, huge ? big[Math.floor(Math.random() * 3)] : String(1 + Math.floor(Math.random() * 3)), Math.floor(Math.random() * 3)),
      ).sort((x, y) => Buffer.compare(x.target, y.target));
      const n = 1 + Math.floor(Math.random() * 10);
      const top = new TopN(n, new Candidates());
      for (const e of all) {
        const line = Buffer.from(`${e.target.toString('latin1')}\t${e.count}`, 'latin1');
        if (!top.rejects(e.score, Number(e.count))) top.add(top.cands.push(line, 0, e.target.length + 1, line.length, e.score, Number(e.count)));
      }
      const keptAll = top.keepsAll();
      const arena = top.cands.arena.toString('latin1', 0, top.cands.used);
      const kept = Array.from(top.take(), (i) => top.cands.arena.toString('latin1', top.cands.off[i], top.cands.end[i]));
      const best = [...all].sort(compareRanked).slice(0, n).sort((x, y) => Buffer.compare(x.target, y.target));
      expect(kept).toEqual(best.map((e) => `${e.target.toString('latin1')}\t${e.count}`));
      // Nothing evicted (at most n came, or the later ones were refused): the arena is the kept lines as written.
      expect(keptAll).toBe(all.length <= n || arena.split('\n').length - 1 === n);
      if (keptAll) expect(arena).toBe(kept.map((k) => `${k}\n`).join(''));
    }
  });
});

function supportsOf(rows: Record<string, number>, total: number): Supports {
  return { byId: new Map(Object.entries(rows)), total };
}

/** Writes lines into a RankingSink as the sum reducer would (whole lines, maybeFlush after each). */
function rank(lines: string[], opts: ConstructorParameters<typeof RankingSink>[1]): string {
  const out = new MemorySink();
  const sink = new RankingSink(out, opts);
  for (const l of lines) {
    const b = sink.reserve(l.length + 1);
    sink.pos += b.write(`${l}\n`, sink.pos, 'latin1');
    sink.maybeFlush();
  }
  sink.end();
  return out.text();
}

describe('RankingSink (phase 2 with --min-count, --score, --top)', () => {
  const lines = ['a\tb\t3', 'a\tc\t1', 'a\td\t3', 'a\te\t2', 'b\ta\t3', 'b\tc\t2'];
  const supports = supportsOf({ a: 5, b: 4, c: 1, d: 9, e: 2 }, 12);

  test('count, --top 2: each source\'s best two (the tie at 3 by target), in line order', () => {
    expect(rank(lines, { score: 'count', top: 2, minCount: 1, supports: null })).toBe('a\tb\t3\na\td\t3\nb\ta\t3\nb\tc\t2\n');
  });

  test('--min-count 2 drops pairs held by fewer paths, the rest as they came', () => {
    expect(rank(lines, { score: 'count', top: 0, minCount: 2, supports: null })).toBe('a\tb\t3\na\td\t3\na\te\t2\nb\ta\t3\nb\tc\t2\n');
  });

  test('cosine, --top 3: a 4th column, ranked by it', () => {
    // a->b 3/sqrt(20) = .6708, a->c 1/sqrt(5) = .4472, a->d 3/sqrt(45) = .4472, a->e 2/sqrt(10) = .6325
    const out = rank(lines, { score: 'cosine', top: 3, minCount: 1, supports });
    expect(out.split('\n').slice(0, 3)).toEqual([`a\tb\t3\t${3 / Math.sqrt(20)}`, `a\td\t3\t${3 / Math.sqrt(45)}`, `a\te\t2\t${2 / Math.sqrt(10)}`]);
  });

  test('a product missing from the supports is an error naming it', () => {
    expect(() => rank(['a\tx\t1'], { score: 'jaccard', top: 0, minCount: 1, supports })).toThrow(/no support for product "x"/);
  });
});

describe('supports file', () => {
  test('sums repeated rows (one per phase-1 reducer) and reads N from the empty id', () => {
    const s = parseSupports(Buffer.from('\t\t3\na\ta\t2\nb\tb\t1\n\t\t4\na\ta\t1\n', 'latin1'), 'f');
    expect(s.total).toBe(7);
    expect([...s.byId]).toEqual([['a', 3], ['b', 1]]);
  });

  test.each([
    ['a\tb\t1\n\t\t1\n', /f:1: not a supports row/],
    ['a\ta\t1\n', /no row for the number of paths/],
    ['a\ta\tx\n\t\t1\n', /f:1/],
  ])('%j is refused', (text, message) => {
    expect(() => parseSupports(Buffer.from(text, 'latin1'), 'f')).toThrow(message);
  });

  test('isDiagonal: the first two fields are the same bytes', () => {
    const d = (s: string): boolean => isDiagonal(Buffer.from(s, 'latin1'), 0, s.length);
    expect([d('a\ta\t1'), d('\t\t3'), d('a\tab\t1'), d('ab\ta\t1'), d('a\ta'), d('a')]).toEqual([true, true, false, false, false, false]);
  });
});

/** Independent model of KeyFieldBasedPartitioner.hashCode over the UTF-8 of key.toString(): int arithmetic, signed bytes, from 0. */
function javaFieldHash(utf8: number[]): number {
  let h = 0n;
  for (const b of utf8) h = BigInt.asIntN(32, 31n * h + BigInt(b > 127 ? b - 256 : b));
  return Number(h);
}

describe('KeyFieldBasedPartitioner -k1,1 (phase 2 with --top)', () => {
  const hash = (key: string): number => {
    const b = Buffer.from(key, 'latin1');
    return keyFieldHash(b, 0, b.length, 1);
  };

  test.each([
    ['abc\tdef', [...Buffer.from('abc')]],
    ['abc', [...Buffer.from('abc')]],
    ['\tdef', []],
    ['', []],
    ['x'.repeat(50) + '\ty', [...Buffer.from('x'.repeat(50))]],
    // Invalid UTF-8 hashes as its replacement characters (EF BF BD each).
    ['\xff\tz', [0xef, 0xbf, 0xbd]],
    ['caf\xc3\xa9\t1', [...Buffer.from('café')]],
    ['\xe2\x82\t1', [0xef, 0xbf, 0xbd]],
    // The JDK replaces a surrogate's three bytes once (WHATWG: three times), and a cut 4-byte character once.
    ['\xed\xa0\x80\t1', [0xef, 0xbf, 0xbd]],
    ['a\xf0\x9f\x98\t1', [0x61, 0xef, 0xbf, 0xbd]],
    ['\xf0\x9f\x98\x80\t1', [0xf0, 0x9f, 0x98, 0x80]],
    ['\xc0\xaf\t1', [0xef, 0xbf, 0xbd, 0xef, 0xbf, 0xbd]],
    ['\xe0\x80\xaf\t1', [0xef, 0xbf, 0xbd, 0xef, 0xbf, 0xbd, 0xef, 0xbf, 0xbd]],
  ])('hash of %j is over its first field', (key, bytes) => {
    expect(hash(key)).toBe(javaFieldHash(bytes));
  });

  test('all of a source\'s pairs go to one partition', () => {
    const parts = new Set(['s\ta\t1', 's\tb\t2', 's\tzzz\t3'].map((l) => partitionOfKeyFields(Buffer.from(l), 0, l.length, 2, 1, 7)));
    expect(parts.size).toBe(1);
  });
});

describe('PairsReducer with supports', () => {
  test('the supports survive the id table being reset (rows per reset, summed when read)', () => {
    const views = ['p1\ta', 'p1\tb', 'p2\tc', 'p2\ta', 'p3\td', 'p4\ta', 'p4\tb', 'p4\te'];
    for (const small of [2, 1 << 19]) {
      const out = new MemorySink();
      const reducer = new PairsReducer(out, new Counters(), { maxInternedIds: small, supports: true });
      for (const v of views) {
        const b = Buffer.from(v);
        reducer.line(b, 0, b.length);
      }
      reducer.end();
      const rows = out.text().split('\n').filter((l) => /^([^\t]*)\t\1\t/.test(l)).join('\n');
      const s = parseSupports(Buffer.from(rows, 'latin1'), 'out');
      expect(s.total).toBe(4);
      expect(Object.fromEntries(s.byId)).toEqual({ a: 3, b: 2, c: 1, d: 1, e: 1 });
      if (small === 2) expect(rows.split('\n').filter((l) => l.startsWith('a\t')).length).toBeGreaterThan(1);
    }
  });
});
