/** Table tests of the paired bootstrap and the verdict (src/eval/bootstrap.ts, verdict.ts, compare.ts). */
import { rng as generator } from '../src/core/random';
import { DEFAULT_BOOTSTRAP, pairedBootstrap, percentileInterval, PairedDifference } from '../src/eval/bootstrap';
import { compareWithCount } from '../src/eval/compare';
import { Metrics } from '../src/eval/metrics';
import { Contender, verdict, worseThanCount } from '../src/eval/verdict';

describe('bootstrap', () => {
  test('the generator: the same seed draws the same numbers in [0, 1), another seed others', () => {
    const a = generator(24);
    const b = generator(24);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(generator(25)()).not.toBe(xs[0]);
    // Roughly uniform: each tenth holds about a tenth of the draws.
    const tenths = new Array<number>(10).fill(0);
    for (const x of xs) tenths[Math.floor(x * 10)]++;
    expect(Math.min(...tenths)).toBeGreaterThan(60);
  });

  test.each([
    [2000, 0.95, 51, 1950],
    [40, 0.95, 2, 39],
    [10, 0.95, 1, 10],
    [100, 0.9, 6, 95],
  ])('percentile interval of 1..%i at %d: [%i, %i]', (b, level, low, high) => {
    // Shuffled descending order: the interval sorts.
    const values = Float64Array.from({ length: b }, (_, i) => b - i);
    expect(percentileInterval(values, level)).toEqual({ low, high });
  });

  test('a score equal to count: every difference and interval end is 0', () => {
    const ranks = [1, 0, 3, 20, 21, 0, 2];
    const [d] = pairedBootstrap(ranks, [ranks.slice()], 20);
    expect(d).toEqual({ hr: 0, mrr: 0, hrInterval: { low: 0, high: 0 }, mrrInterval: { low: 0, high: 0 } });
  });

  test('rank K is a hit, K + 1 a miss; hits everywhere against misses everywhere: exactly +1', () => {
    const [d] = pairedBootstrap([0, 3, 0], [[1, 2, 1]], 2);
    expect(d).toEqual({ hr: 1, mrr: (1 + 1 / 2 + 1) / 3, hrInterval: { low: 1, high: 1 }, mrrInterval: expect.any(Object) });
    expect(d.mrrInterval.low).toBeCloseTo(1 / 2, 12);
    expect(d.mrrInterval.high).toBeCloseTo(1, 12);
  });

  test('the interval matches the normal approximation on a clear difference', () => {
    // 200 events: the score hits alone on 30, count alone on 10: mean +0.1, sd sqrt(0.19 / 200) = 0.0308.
    const count = Array.from({ length: 200 }, (_, i) => (i >= 30 && i < 40 ? 1 : 0));
    const score = Array.from({ length: 200 }, (_, i) => (i < 30 ? 1 : 0));
    const [d] = pairedBootstrap(count, [score], 20);
    expect(d.hr).toBeCloseTo(0.1, 12);
    expect(Math.abs(d.hrInterval.low - (0.1 - 1.96 * 0.0308))).toBeLessThan(0.012);
    expect(Math.abs(d.hrInterval.high - (0.1 + 1.96 * 0.0308))).toBeLessThan(0.012);
    // Fixed seed: the same answer every time; another seed moves the ends a little.
    expect(pairedBootstrap(count, [score], 20)).toEqual([d]);
    const other = pairedBootstrap(count, [score], 20, { ...DEFAULT_BOOTSTRAP, seed: 7 })[0];
    expect(Math.abs(other.hrInterval.low - d.hrInterval.low)).toBeLessThan(0.02);
  });

  test('paired: the same resamples for every score (a score and its copy get the same interval)', () => {
    const count = [1, 0, 0, 2, 0, 5, 0, 0, 1, 0];
    const score = [0, 1, 0, 1, 3, 0, 0, 1, 1, 0];
    const [a, b] = pairedBootstrap(count, [score, score.slice()], 5);
    expect(b).toEqual(a);
  });

  test('bad calls', () => {
    expect(() => pairedBootstrap([], [[]], 20)).toThrow('at least one test event');
    expect(() => pairedBootstrap([1, 2], [[1]], 20)).toThrow('ranks of 1 events');
  });
});

describe('verdict', () => {
  const diff = (hrHigh: number, mrrHigh: number): PairedDifference => ({ hr: 0, mrr: 0, hrInterval: { low: -1, high: hrHigh }, mrrInterval: { low: -1, high: mrrHigh } });
  const count: Contender = { name: 'count', jobScore: true, hr: 0.5, mrr: 0.2, vsCount: diff(0, 0) };
  const row = (name: string, hr: number, mrr: number, hrHigh: number, mrrHigh: number, jobScore = true): Contender => ({ name, jobScore, hr, mrr, vsCount: diff(hrHigh, mrrHigh) });

  test.each<[string, Contender[], string | null]>([
    ['count alone', [count], 'count'],
    ['no count: no verdict', [row('cosine', 0.6, 0.3, 0.1, 0.1)], null],
    ['a higher hr, not worse on either metric', [count, row('cosine', 0.51, 0.19, 0.02, 0.01)], 'cosine'],
    ['a higher hr but mrr significantly worse', [count, row('cosine', 0.52, 0.15, 0.03, -0.01)], 'count'],
    ['hr significantly worse', [count, row('llr', 0.4, 0.3, -0.02, 0.2)], 'count'],
    ['an interval ending at 0 is not significantly worse', [count, row('llr', 0.55, 0.2, 0.1, 0)], 'llr'],
    ['a rounding error below 0 is not significantly worse', [count, row('llr', 0.55, 0.2, 0.1, -1e-15)], 'llr'],
    ['an equal hr does not beat count', [count, row('jaccard', 0.5, 0.3, 0.01, 0.1)], 'count'],
    ['the highest hr of the admitted', [count, row('cosine', 0.52, 0.2, 0.1, 0.1), row('proximity', 0.6, 0.2, 0.2, 0.1), row('llr', 0.7, 0.1, 0.3, -0.01)], 'proximity'],
    ['equal hr: the higher mrr', [count, row('cosine', 0.6, 0.2, 0.1, 0.1), row('llr', 0.6, 0.25, 0.1, 0.1)], 'llr'],
    ['equal hr and mrr: the first in --scores order', [count, row('llr', 0.6, 0.2, 0.1, 0.1), row('cosine', 0.6, 0.2, 0.1, 0.1)], 'llr'],
    ['a baseline is never recommended', [count, row('popularity', 0.9, 0.5, 0.5, 0.3, false)], 'count'],
  ])('%s', (_name, rows, want) => {
    expect(verdict(rows, 20)?.recommended ?? null).toBe(want);
  });

  test('the reason names the margin, or what was significantly worse', () => {
    expect(verdict([count, row('cosine', 0.55, 0.2, 0.1, 0.1)], 20)?.reason).toBe(
      "highest hr@20 (0.5500 against count's 0.5000 (+10.0%)) of the scores not significantly worse than count",
    );
    expect(verdict([count, row('cosine', 0.55, 0.1, 0.1, -0.1)], 20)?.reason).toBe(
      'no score beats count on hr@20 without being significantly worse on hr@20 or mrr@20; significantly worse: cosine',
    );
    expect(worseThanCount(diff(0, -0.001))).toBe(true);
  });
});

describe('compareWithCount', () => {
  const metrics = (name: string, ranks: number[]): Metrics => {
    const hits = ranks.filter((r) => r > 0 && r <= 2);
    const rr = hits.reduce((a, r) => a + 1 / r, 0);
    return { name, events: ranks.length, hr: hits.length / ranks.length, mrr: rr / ranks.length, coverage: 1, popularity: 0, hrAt: [], ranks: Int32Array.from(ranks) };
  };

  test('every row gets its interval against count; the verdict follows', () => {
    const count = metrics('count', [1, 0, 2, 0, 0, 0, 1, 0]);
    const cosine = metrics('cosine', [1, 1, 2, 1, 1, 2, 1, 1]);
    const pop = metrics('popularity', [1, 1, 1, 1, 1, 1, 1, 1]);
    const { rows, verdict: v } = compareWithCount([count, cosine, pop], 2);
    expect(rows.map((r) => r.name)).toEqual(['count', 'cosine', 'popularity']);
    expect(rows[0].vsCount?.hrInterval).toEqual({ low: 0, high: 0 });
    expect(rows[1].vsCount?.hr).toBeCloseTo(5 / 8, 12);
    expect(rows[1].vsCount?.hrInterval.low).toBeGreaterThan(0);
    expect(v?.recommended).toBe('cosine');
  });

  test('without count: no intervals, no verdict', () => {
    const { rows, verdict: v } = compareWithCount([metrics('cosine', [1, 0])], 2);
    expect([rows[0].vsCount, v]).toEqual([null, null]);
  });
});
