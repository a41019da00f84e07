/**
 * The benchmark's scaling data (bench/scaledata.ts) and chart axis helper:
 * the 1x sample reproduces the Diginetica facts, k x grows emitted pairs by
 * resampling whole sessions under new path ids, and the chart's axes cover the data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { niceAxis } from '../bench/chart';
import { expectedPairs, parseDiginetica, prng, resample, type Session } from '../bench/scaledata';
import { testIf } from './helpers/suite';
import { missingFile } from './helpers/tools';

const DIGINETICA = path.resolve(__dirname, '..', '..', 'shared', 'data', 'diginetica-sample-train-item-views.csv');

describe('expectedPairs', () => {
  test.each([
    [[['a', 'b', 'c']], 0, 6],
    [[['a', 'a', 'b']], 0, 2], // repeated views count once
    [[['a']], 0, 0],
    [[['a', 'b', 'c'], ['x', 'y']], 2, 2], // the 3-product path is over the cap
    [[['a', 'b', 'c'], ['x', 'y']], 0, 8],
  ])('%j cap %d -> %d', (products, cap, want) => {
    const sessions: Session[] = products.map((p, i) => ({ path: String(i), products: p }));
    expect(expectedPairs(sessions, cap)).toBe(want);
  });
});

describe('parseDiginetica and resample', () => {
  const csv = 'session_id;user_id;item_id;timeframe;eventdate\n1;NA;10;0;d\n2;NA;20;0;d\n1;NA;11;0;d\n2;NA;20;0;d';

  test('groups rows by session, keeps repeats, skips the header, reads a last line without newline', () => {
    expect(parseDiginetica(csv)).toEqual([
      { path: '1', products: ['10', '11'] },
      { path: '2', products: ['20', '20'] },
    ]);
  });

  test('1x is the sample itself; k x has k times the sessions under new, distinct path ids', () => {
    const sample = parseDiginetica(csv);
    expect(resample(sample, 1, 7).text).toBe('1\t10\n1\t11\n2\t20\n2\t20\n');
    const r = resample(sample, 5, 7);
    expect(r.sessions).toHaveLength(10);
    expect(new Set(r.sessions.map((s) => s.path)).size).toBe(10);
    expect(r.views).toBe(r.text.split('\n').length - 1);
    expect(resample(sample, 5, 7).text).toBe(r.text); // deterministic for a seed
  });

  test('prng is uniform-ish in [0, 1)', () => {
    const rand = prng(1);
    const xs = Array.from({ length: 10000 }, rand);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / xs.length - 0.5)).toBeLessThan(0.02);
  });

  testIf(missingFile(DIGINETICA), 'the real sample: 2,986 sessions, 12,391 views, 61,252 emitted pairs (the README fact)', () => {
    const sessions = parseDiginetica(fs.readFileSync(DIGINETICA));
    expect(sessions).toHaveLength(2986);
    const one = resample(sessions, 1, 1);
    expect(one.views).toBe(12391);
    expect(expectedPairs(sessions, 1000)).toBe(61252);
    const four = resample(sessions, 4, 1);
    const pairs = expectedPairs(four.sessions, 1000);
    expect(pairs).toBeGreaterThan(3 * 61252);
    expect(pairs).toBeLessThan(5 * 61252);
  });
});

describe('niceAxis', () => {
  test.each([
    [4.3, 5, 1],
    [0.9, 1, 0.2],
    [108, 125, 25],
    [200, 200, 50],
    [0, 1, 0.2],
  ])('max %d -> top %d step %d', (max, top, step) => {
    const a = niceAxis(max);
    expect(a.top).toBeCloseTo(top, 9);
    expect(a.step).toBeCloseTo(step, 9);
    expect(a.top).toBeGreaterThanOrEqual(max);
  });
});
