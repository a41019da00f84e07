/**
 * The pure modules of --score proximity: the order column (numbers, exact
 * comparison, the mapper's fast path against its rules), the fixed-point
 * weights, phase 1's reducer against a brute-force definition on random paths
 * (any block size, so any flush points; long ids, repeats, rows past an output chunk), the
 * touched-rank set (RankSet), and phase 2's sums (combiner rows
 * re-summed give the same lists, BigInt past 2^53).
 */
import { Counters } from '../src/io/counters';
import { MemorySink } from '../src/io/sink';
import { ViewCheck } from '../src/core/view-check';
import { classifyOrderedView, compareOrderText, isOrderNumber, mapOrderedBlock, OrderedViewFields, orderValue } from '../src/core/order';
import { proximityWeight, putProximity, putWeight, weightOf } from '../src/core/pairs/proximity-text';
import { ProximityReducer } from '../src/core/pairs/proximity';
import { RankSet } from '../src/core/pairs/rank-set';
import { proximityScore, ProximitySum } from '../src/core/sum/proximity-sum';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

test.each([
  ['0', true], ['-12', true], ['1396437466.94', true], ['007.500', true], ['12345678901234567890123', true],
  ['', false], ['-', false], ['1.', false], ['.5', false], ['1e5', false], ['--1', false], ['+1', false], ['0x10', false], ['1 ', false], ['NULL', false],
])('isOrderNumber(%j) = %s', (s, ok) => {
  expect(isOrderNumber(b(s), 0, s.length)).toBe(ok);
});

test.each([
  ['1', '2', -1], ['10', '9', 1], ['-1', '-2', 1], ['-0', '0', 0], ['0.0', '0', 0], ['007', '7.000', 0], ['1.5', '1.25', 1],
  ['9007199254740993', '9007199254740992', 1], ['12345678901234567890.1', '12345678901234567890.09', 1], ['-1.5', '1', -1],
])('compareOrderText(%s, %s) = %d, and orderValue never inverts it', (x, y, sign) => {
  expect(compareOrderText(x, y)).toBe(sign);
  const vx = orderValue(b(x), 0, x.length);
  const vy = orderValue(b(y), 0, y.length);
  expect(Math.sign(vx - vy) === sign || vx === vy).toBe(true);
  expect(vx).toBe(Number(x));
});

test('classifyOrderedView: two fields as views.ts, three with a number, else bad_order; the header', () => {
  const f: OrderedViewFields = { pathStart: 0, pathEnd: 0, productStart: 0, productEnd: 0, orderStart: 0, orderEnd: 0 };
  const v = (s: string): string => classifyOrderedView(b(s), 0, s.length, f);
  expect(v('p\ta')).toBe('ok');
  expect(f.orderStart).toBe(-1);
  expect(v('p\ta\t12.5\r')).toBe('ok');
  expect([f.productEnd, f.orderStart, f.orderEnd]).toEqual([3, 4, 8]);
  expect(v('p\ta\tx')).toBe('bad_order');
  expect(v('p\ta\t')).toBe('bad_order');
  expect(v('p\t\t1')).toBe('empty_field');
  expect(v('NULL\ta\t1')).toBe('null_id');
  expect(v('p\ta\t1\t2')).toBe('wrong_field_count');
  expect(v('path_id\tproduct_id\tviewed_at')).toBe('header');
});

test("mapOrderedBlock: the same lines and counters as the mapper's rules line by line", () => {
  const lines = ['1\t2\t3', '1\t2', '1\t2\t3.5', 'p\tq\t4', '1\t2\tx', '1\t2\t1.', '\t2\t3', '1\t2\t3\r', 'NULL\t2\t3', '1\t2\t3\t4', '12\t34\t-5', ''];
  const text = b(lines.map((l) => `${l}\n`).join(''));
  const run = (block: boolean): [string, string] => {
    const out = new MemorySink();
    const counters = new Counters();
    const check = new ViewCheck(out, counters, () => undefined, 'f', true);
    if (block) mapOrderedBlock(out, text, 0, text.length, 1 << 20, (ls, le, i) => check.line(text, ls, le, i + 1));
    else {
      let start = 0;
      lines.forEach((_, i) => {
        const end = text.indexOf(0x0a, start);
        check.line(text, start, end, i + 1);
        start = end + 1;
      });
    }
    return [out.text(), counters.reporterLines()];
  };
  expect(run(true)).toEqual(run(false));
  expect(run(true)[0]).toBe('1\t2\t3\n1\t2\t3.5\np\tq\t4\n1\t2\t3\r\n12\t34\t-5\n');
});

test.each([
  [1, 10_000_000_000], [2, 5_000_000_000], [3, 3_333_333_333], [6, 1_666_666_667], [7, 1_428_571_429], [999_983, 10_000], [3_000_000_000, 3],
])('proximityWeight(%d) = %d (round half up of 10^10 / d)', (d, w) => {
  expect(proximityWeight(d)).toBe(w);
});

test('proximityScore: the nearest double of W / 10^10, BigInt too', () => {
  expect(proximityScore(15_000_000_000)).toBe(1.5);
  expect(proximityScore(3_333_333_333)).toBe(0.3333333333);
  expect(proximityScore(123_456_789_012_345_678_901n)).toBe(12345678901.2345678901);
});

/** The definition, brute force: lines of `s\tt\tcount\tscore-ish` (sum of 1/d in W units). */
function bruteForce(paths: Map<string, Array<[string, number]>>, cap: number): Map<string, [number, number]> {
  const pairs = new Map<string, [number, number]>();
  for (const views of paths.values()) {
    const sorted = [...views].sort((x, y) => x[1] - y[1] || Buffer.compare(b(x[0]), b(y[0])));
    const seq = sorted.map((v) => v[0]).filter((p, i, a) => i === 0 || a[i - 1] !== p);
    const distinct = [...new Set(seq)];
    if (cap > 0 && distinct.length > cap) continue;
    for (const x of distinct) {
      for (const y of distinct) {
        if (x === y) continue;
        let d = Infinity;
        seq.forEach((p, i) => seq.forEach((q, j) => p === x && q === y && (d = Math.min(d, Math.abs(i - j)))));
        const k = `${x}\t${y}`;
        const [c, w] = pairs.get(k) ?? [0, 0];
        pairs.set(k, [c + 1, w + proximityWeight(d)]);
      }
    }
  }
  return pairs;
}

function reduce(lines: string[], blockViews: number, cap: number, maxInternedIds = 8): Map<string, [number, number]> {
  const out = new MemorySink();
  const counters = new Counters();
  const r = new ProximityReducer(out, counters, { blockViews, maxInternedIds, maxPathProducts: cap });
  for (const l of lines) r.line(b(l), 0, l.length);
  r.end();
  const got = new Map<string, [number, number]>();
  for (const row of out.text().split('\n').filter(Boolean)) {
    const [s, t, c, w] = row.split('\t');
    const [c0, w0] = got.get(`${s}\t${t}`) ?? [0, 0];
    // A pair of one path is `a<TAB>b<TAB>/d`.
    const [paths, weight] = c.startsWith('/') ? [1, proximityWeight(Number(c.slice(1)))] : [Number(c), Number(weightOf(b(w), 0, w.length))];
    got.set(`${s}\t${t}`, [c0 + paths, w0 + weight]);
  }
  return got;
}

test('ProximityReducer = the definition on random ordered paths, for any block size (flushes) and the cap', () => {
  let seed = 7;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let round = 0; round < 30; round++) {
    const paths = new Map<string, Array<[string, number]>>();
    const lines: string[] = [];
    for (let p = 0; p < 6; p++) {
      const views: Array<[string, number]> = [];
      for (let v = rand(9); v > 0; v--) views.push([`i${rand(6)}`, rand(5)]);
      if (views.length === 0) continue;
      paths.set(`p${p}`, views);
      for (const [item, t] of views) lines.push(`p${p}\t${item}\t${t}`);
    }
    const cap = round % 3 === 0 ? 3 : 0;
    const want = bruteForce(paths, cap);
    for (const blockViews of [2, 5, 1000]) expect(reduce(lines, blockViews, cap)).toEqual(want);
  }
});

test('ProximityReducer = the definition with long ids (byte-copied rows) and repeats in long paths', () => {
  let seed = 11;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const paths = new Map<string, Array<[string, number]>>();
  const lines: string[] = [];
  for (let p = 0; p < 8; p++) {
    const views: Array<[string, number]> = [];
    for (let v = 0; v < 40; v++) views.push([rand(3) === 0 ? `long-product-id-${rand(12)}` : `i${rand(12)}`, v]);
    paths.set(`p${p}`, views);
    for (const [item, t] of views) lines.push(`p${p}\t${item}\t${t}`);
  }
  const want = bruteForce(paths, 0);
  for (const blockViews of [50, 1000]) expect(reduce(lines, blockViews, 0)).toEqual(want);
});

test('ProximityReducer: a row of more targets than one output chunk (4096 lines)', () => {
  // Path k: a, then k % 7 fillers, then t<k>: d(a, t<k>) = 1 + k % 7.
  const paths = new Map<string, Array<[string, number]>>();
  const lines: string[] = [];
  for (let k = 0; k < 5000; k++) {
    const views: Array<[string, number]> = [['a', 0]];
    for (let f = 0; f < k % 7; f++) views.push([`f${f}`, f + 1]);
    views.push([`t${String(k).padStart(4, '0')}`, 9]);
    const path = `p${String(k).padStart(4, '0')}`;
    paths.set(path, views);
    for (const [item, t] of views) lines.push(`${path}\t${item}\t${t}`);
  }
  const got = reduce(lines, 0, 0, 0);
  expect([...got.keys()].filter((k) => k.startsWith('a\t')).length).toBe(5000 + 6);
  expect(got).toEqual(bruteForce(paths, 0));
});

test('ProximitySum: combiner rows summed again give the same lists; --min-count and --top; sums past 2^53', () => {
  const rows = ['a\tb\t1\t0.5', 'a\tb\t2\t1', 'a\tc\t1\t1.5', 'a\td\t1\t900719.9254740993', 'a\td\t1\t900719.9254740993', 'b\ta\t1\t0.0000000001'];
  const sum = (role: 'reducer' | 'combiner', input: string[], top = 0, minCount = 1): string => {
    const out = new MemorySink();
    const s = new ProximitySum(out, new Counters(), { role, strict: false, minCount, top });
    for (const l of input) s.line(b(l), 0, l.length);
    s.end();
    return out.text();
  };
  const direct = sum('reducer', rows);
  expect(direct).toBe('a\tb\t3\t1.5\na\tc\t1\t1.5\na\td\t2\t1801439.8509481986\nb\ta\t1\t0.0000000001\n');
  const combined = sum('combiner', rows.slice(0, 3)) + sum('combiner', rows.slice(3));
  expect(sum('reducer', combined.trimEnd().split('\n'))).toBe(direct);
  // --top 2: a's best two by score (ties by count, then target): d, then b (1.5, count 3) before c (1.5, count 1).
  expect(sum('reducer', rows, 2)).toBe('a\tb\t3\t1.5\na\td\t2\t1801439.8509481986\nb\ta\t1\t0.0000000001\n');
  expect(sum('reducer', rows, 0, 2)).toBe('a\tb\t3\t1.5\na\td\t2\t1801439.8509481986\n');
});

test('ProximitySum.block: the same output and counters as line by line, odd rows included', () => {
  const rows = ['a\tb\t1\t0.5', 'a\tb\t2\t1', 'a\tb\t1\t0.0000000005\r', 'a\ta\t1\t1', 'a\tc\t1', 'a\tc\t1\t1234567.8901234567',
    'a\tc\t01\t0900719.9254740993', 'a\td\tx\t1', '\tb\t1\t1', 'a\te\t1\t1.', 'a\tf\t1\t0.00000000001', 'b\ta\t999999999999999\t900719.9254740991',
    'b\ta\t1\t0.0000000001', 'b\tc\t1\t1', 'b\td\t1\t0.50', 'b\te\t1\t00.5'];
  const text = b(rows.map((r) => `${r}\n`).join(''));
  const run = (block: boolean, role: 'reducer' | 'combiner'): [string, string] => {
    const out = new MemorySink();
    const counters = new Counters();
    const s = new ProximitySum(out, counters, { role, strict: false, minCount: 1, top: role === 'reducer' ? 1 : 0 });
    if (block) s.block(text, 0, text.length, 1 << 20);
    else rows.forEach((r) => s.line(b(r), 0, r.length));
    s.end();
    return [out.text(), counters.reporterLines()];
  };
  for (const role of ['reducer', 'combiner'] as const) expect(run(true, role)).toEqual(run(false, role));
  expect(run(true, 'combiner')[0]).toBe(
    'a\tb\t4\t1.5000000005\na\tc\t2\t2135287.815597556\nb\ta\t1000000000000000\t900719.9254740992\nb\tc\t1\t1\nb\td\t1\t0.5\nb\te\t1\t0.5\n',
  );
});

test('ProximitySum: phase 1\'s `/d` rows (one path at distance d) as `1<TAB>W(d)`, block and line alike', () => {
  const rows = ['a\tb\t/1', 'a\tc\t/3', 'a\tc\t/2', 'a\td\t2\t0.5', 'a\te\t/03', 'a\tf\t/0', 'a\tg\t/', 'a\th\t/2\t1', 'a\ti\t/x',
    'a\tj\t/70000', 'a\tk\t/1234567890123456', 'a\ta\t/1', 'b\ta\t/4\r', 'b\tc\t/100000000000000', 'b\td\t/7', 'b\td\t1\t0.5',
    // A pair of one canonical row, then an odd row (line()) of another pair, then a third pair: three lines.
    'c\ta\t1\t0.5', 'c\tb\t1\t1\r', 'c\td\t/2'];
  const text = b(rows.map((r) => `${r}\n`).join(''));
  const run = (block: boolean, role: 'reducer' | 'combiner', top = 0): [string, string] => {
    const out = new MemorySink();
    const counters = new Counters();
    const s = new ProximitySum(out, counters, { role, strict: false, minCount: 1, top });
    if (block) s.block(text, 0, text.length, 1 << 20);
    else rows.forEach((r) => s.line(b(r), 0, r.length));
    s.end();
    return [out.text(), counters.reporterLines()];
  };
  const want =
    'a\tb\t1\t1\na\tc\t2\t0.8333333333\na\td\t2\t0.5\na\te\t1\t0.3333333333\na\tj\t1\t0.0000142857\n' +
    'b\ta\t1\t0.25\nb\tc\t1\t0\nb\td\t2\t0.6428571429\nc\ta\t1\t0.5\nc\tb\t1\t1\nc\td\t1\t0.5\n';
  for (const top of [0, 3]) expect(run(true, 'reducer', top)).toEqual(run(false, 'reducer', top));
  expect(run(true, 'reducer')[0]).toBe(want);
  expect(run(true, 'reducer')[1]).toContain('skipped_bad_pair_row,6');
  // The combiner's block keeps a lone canonical `/d` row as it is (line() writes `1<TAB>W`): the reducer reads either to the same lists.
  expect(run(true, 'combiner')[0]).toContain('a\tb\t/1\n');
  expect(run(true, 'combiner')[1]).toBe(run(false, 'combiner')[1]);
  for (const block of [true, false]) {
    const again = new MemorySink();
    const s = new ProximitySum(again, new Counters(), { role: 'reducer', strict: false, minCount: 1, top: 0 });
    const ct = b(run(block, 'combiner')[0]);
    s.block(ct, 0, ct.length, 1 << 20);
    s.end();
    expect(again.text()).toBe(want);
  }
});

test("putWeight (phase 1's writer) writes what putProximity does, up to 2^53", () => {
  const values = [0, 1, 5, 10, 100000, 1e10, 1e10 + 1, 3333333333, 15000000005, 123456789012345, Number.MAX_SAFE_INTEGER, 9000000000000000];
  let seed = 3;
  for (let i = 0; i < 2000; i++) values.push(((seed = (seed * 48271) % 2147483647) * 4194304 + (i % 97)) % Number.MAX_SAFE_INTEGER);
  for (const w of values) {
    const a = new MemorySink();
    putProximity(a, w);
    const buf = Buffer.alloc(40);
    expect([w, buf.toString('latin1', 0, putWeight(buf, 0, w))]).toEqual([w, a.text()]);
  }
});

test.each([
  [[], []],
  [[0], [0]],
  [[5, 3, 5, 0], [0, 3, 5]],
  [[31, 32, 1023, 1024, 1025, 0], [0, 31, 32, 1023, 1024, 1025]],
  [[70000, 2, 65535, 65536], [2, 65535, 65536, 70000]],
])('RankSet: drain after adding %j gives %j, then nothing', (added, want) => {
  const set = new RankSet();
  set.ensure(70001);
  for (const r of added) set.add(r);
  const into = new Int32Array(16);
  const m = set.drain(into);
  expect([...into.subarray(0, m)]).toEqual(want);
  expect(set.drain(into)).toBe(0);
});

test('RankSet: ensure grows the set to hold the highest rank', () => {
  const set = new RankSet();
  for (const n of [1, 33, 1025, 5000]) {
    set.ensure(n);
    set.add(n - 1);
    const into = new Int32Array(1);
    expect(set.drain(into)).toBe(1);
    expect(into[0]).toBe(n - 1);
  }
});
