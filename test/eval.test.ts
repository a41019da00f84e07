/** Table tests of the evaluator's pure parts (src/eval/). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hrChart, yAxis } from '../src/eval/chart';
import { buildEvents, viewSequence } from '../src/eval/events';
import { ResultRowError } from '../src/core/rank/result-row';
import { ListCollector } from '../src/eval/lists';
import { computeMetrics, rankOf } from '../src/eval/metrics';
import { mostPopular, popularityList, PopularityCounter } from '../src/eval/popularity';
import { formatTable, formatTsv } from '../src/eval/report';
import { jobScoreArgs, parseScores } from '../src/eval/scores';
import { noteFirstTime, testPathCount, testPaths } from '../src/eval/split';
import { classifyTimedView, plainOrder, timedFields } from '../src/eval/views';
import { splitViews } from '../src/eval/input';

describe('classifyTimedView', () => {
  test.each([
    ['a view', 'p1\ta\t17', 'ok', 17],
    ['CRLF', 'p1\ta\t17\r', 'ok', 17],
    ['fractional and negative times', 'p1\ta\t-1.5', 'ok', -1.5],
    ['exponent', 'p1\ta\t1e3', 'ok', 1000],
    ['header with any third name', 'path_id\tproduct_id\tviewed_at', 'header', null],
    ["the job's two-column header", 'path_id\tproduct_id', 'header', null],
    ['two fields: no time column', 'p1\ta', 'no_time', null],
    ['no TAB', 'p1', 'wrong_field_count', null],
    ['four fields', 'p1\ta\tb\t3', 'wrong_field_count', null],
    ['empty time', 'p1\ta\t', 'empty_field', null],
    ['empty product', 'p1\t\t3', 'empty_field', null],
    ['NULL path', 'NULL\ta\t3', 'null_id', null],
    ['a date is not a number', 'p1\ta\t2016-05-09', 'bad_time', null],
    ['NaN', 'p1\ta\tNaN', 'bad_time', null],
    ['Infinity', 'p1\ta\t1e999', 'bad_time', null],
  ])('%s', (_name, line, verdict, time) => {
    const f = timedFields();
    const buf = Buffer.from(line, 'latin1');
    expect(classifyTimedView(buf, 0, buf.length, f)).toBe(verdict);
    if (verdict === 'ok') {
      expect([buf.toString('latin1', f.pathStart, f.pathEnd), buf.toString('latin1', f.productStart, f.productEnd), f.time]).toEqual(['p1', 'a', time]);
    }
  });
});

describe("plainOrder: a time as the job's order column wants it, exactly", () => {
  test.each([
    ['17', '17'],
    ['-1.50', '-1.50'],
    ['+17', '17'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['-.25', '-0.25'],
    ['1e3', '1000'],
    ['1.5E+2', '150'],
    ['12.5e-3', '0.0125'],
    ['1396437466940e-3', '1396437466.94'],
    ['123456789012345678901234567890e0', '123456789012345678901234567890'],
    ['00.100e1', '1'],
    ['0e5', '0'],
  ])('%s -> %s', (time, order) => {
    expect(plainOrder(time)).toBe(order);
  });
});

test("splitViews: training views keep their time as the job's order column; test paths stay in memory", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-eval-split-'));
  try {
    const copy = path.join(dir, 'views.tsv');
    const train = path.join(dir, 'train.tsv');
    fs.writeFileSync(copy, 'p1\ta\t1e3\np2\tc\t5\np1\tb\t+2\np1\tc\t1396437466.94\np2\ta\t.5\n');
    const test = splitViews(copy, new Set(['p2']), train);
    expect(fs.readFileSync(train, 'latin1')).toBe('p1\ta\t1000\np1\tb\t2\np1\tc\t1396437466.94\n');
    expect(test).toEqual(new Map([['p2', { times: [5, 0.5], products: ['c', 'a'] }]]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('split', () => {
  test.each([
    [10, 0.2, 2],
    [11, 0.2, 2],
    [13, 0.2, 3], // 2.6 + 0.5
    [2, 0.25, 1], // 0.5 + 0.5: halves round up
    [4, 0.1, 0],
    [1, 0.2, 0],
    [1, 0.5, 1],
    [3, 0.99, 3],
  ])('%i paths at share %d: %i test paths', (paths, share, n) => {
    expect(testPathCount(paths, share)).toBe(n);
  });

  test('latest first views are the test set; equal times are ordered by id bytes', () => {
    const first = new Map<string, number>();
    for (const [p, t] of [['b', 5], ['a', 5], ['9', 7], ['10', 7], ['c', 1], ['b', 2]] as const) noteFirstTime(first, p, t);
    expect(first).toEqual(new Map([['b', 2], ['a', 5], ['9', 7], ['10', 7], ['c', 1]]));
    // Order: c 1, b 2, a 5, 10 7, 9 7 ("10" < "9" as bytes).
    expect(testPaths(first, 0.2)).toEqual(new Set(['9']));
    expect(testPaths(first, 0.4)).toEqual(new Set(['10', '9']));
    expect(testPaths(first, 0.5)).toEqual(new Set(['a', '10', '9']));
  });
});

describe('events', () => {
  test.each([
    ['consecutive repeats removed', [1, 2, 3, 4], ['a', 'a', 'b', 'b'], ['a', 'b']],
    ['returns kept', [1, 2, 3], ['a', 'b', 'a'], ['a', 'b', 'a']],
    ['time order, not file order', [3, 1, 2], ['c', 'a', 'b'], ['a', 'b', 'c']],
    ['equal times keep file order', [5, 5, 5], ['c', 'a', 'b'], ['c', 'a', 'b']],
    ['a repeat only after sorting', [1, 3, 2], ['a', 'b', 'a'], ['a', 'b']],
  ])('%s', (_name, times, products, seq) => {
    expect(viewSequence({ times, products })).toEqual(seq);
  });

  test('pairs of consecutive products; one-product paths give none; paths over the cap are skipped', () => {
    const ev = buildEvents(
      [
        { times: [1, 2, 3], products: ['a', 'b', 'a'] },
        { times: [1, 2], products: ['x', 'x'] },
        { times: [1, 2, 3, 4], products: ['a', 'b', 'c', 'a'] },
      ],
      2,
    );
    expect(ev).toEqual({ queries: ['a', 'b'], targets: ['b', 'a'], cappedPaths: 1 });
    expect(buildEvents([{ times: [1, 2, 3, 4], products: ['a', 'b', 'c', 'a'] }], 0).queries).toEqual(['a', 'b', 'c']);
  });
});

describe('popularity', () => {
  test('paths per product from sorted distinct views; a path over the cap is skipped whole', () => {
    const c = new PopularityCounter(2);
    // 3 views b twice (two times of one view): still 3 distinct products, over the cap of 2.
    for (const [p, x] of [['1', 'a'], ['1', 'b'], ['2', 'a'], ['2', 'a'], ['3', 'a'], ['3', 'b'], ['3', 'b'], ['3', 'c'], ['4', 'c']]) c.add(p, x);
    expect(c.end()).toEqual(new Map([['a', 2], ['b', 1], ['c', 1]]));
    expect([c.paths, c.cappedPaths]).toEqual([3, 1]);
  });

  test('most paths first, ties by id bytes; the query left out', () => {
    const counts = new Map([['b', 3], ['a', 3], ['10', 1], ['9', 1], ['c', 2]]);
    const top = mostPopular(counts, 4);
    expect(top).toEqual(['a', 'b', 'c', '10']);
    expect(popularityList(top, 'b', 3)).toEqual(['a', 'c', '10']);
    expect(popularityList(top, 'z', 3)).toEqual(['a', 'b', 'c']);
    expect(popularityList(top, '10', 3)).toEqual(['a', 'b', 'c']);
  });
});

describe('lists from a result file', () => {
  function collect(text: string, queries: string[], keep: number): ListCollector {
    const c = new ListCollector(new Set(queries), keep);
    const buf = Buffer.from(text, 'latin1');
    let start = 0;
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, (start = nl + 1))) c.line(buf, start, nl);
    return c;
  }

  test('score desc, then count desc, then target bytes; lines in any order', () => {
    const rows = ['a\tx\t5\t0.5', 'b\tq\t1\t0.9', 'a\tw\t2\t0.9', 'a\ty\t9\t0.5', 'a\t10\t9\t0.5', 'a\t9\t9\t0.5', 'c\tz\t1\t0.1'];
    const c = collect(rows.join('\n') + '\n', ['a', 'q'], 4);
    expect(c.lists()).toEqual(new Map([['a', ['w', '10', '9', 'y']]]));
    expect(c.sourceCount()).toBe(3);
  });

  test('without a score column the count ranks', () => {
    const c = collect('a\tb\t2\na\tc\t3\na\td\t3\n', ['a'], 2);
    expect(c.lists().get('a')).toEqual(['c', 'd']);
  });

  test('a long block is trimmed on the way to the same top rows', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `a\tt${String(i).padStart(3, '0')}\t${i % 7}`);
    const c = collect(lines.join('\n') + '\n', ['a'], 3);
    expect(c.lists().get('a')).toEqual(['t006', 't013', 't020']);
  });

  test('a line that is not a result row', () => {
    expect(() => collect('a\tb\n', ['a'], 1)).toThrow(ResultRowError);
    expect(() => collect('a\tb\tmany\n', ['a'], 1)).toThrow('line 1 is not a result row');
  });

  // Fixed: counts were compared as Number, so counts past 2^53 that differ tied and the target decided.
  test('counts compare exactly past 2^53', () => {
    const c = collect('a\tx\t9007199254740992\na\ty\t9007199254740993\n', ['a'], 1);
    expect(c.lists().get('a')).toEqual(['y']);
  });

  // Fixed: Number() let through counts and scores that are not the job's (1e3, 0x1F, an empty score), and rows of sources not queried went unchecked.
  test.each([
    ['a count in exponent form', 'a\tb\t1e3\n'],
    ['a count with a space', 'a\tb\t 5\n'],
    ['a hex score', 'a\tb\t1\t0x1F\n'],
    ['an empty score', 'a\tb\t1\t\n'],
    ['a nan score', 'a\tb\t1\tnan\n'],
    ['a bad row of a source not queried', 'z\tb\tx\n'],
    ['rows with and without a score', 'a\tb\t1\t0.5\na\tc\t1\n'],
  ])('%s is not a result row', (_name, text) => {
    expect(() => collect(text, ['a'], 1)).toThrow(ResultRowError);
  });

  test('an overlong line is an error (it was skipped)', () => {
    const c = new ListCollector(new Set(['a']), 1);
    expect(() => c.overlong(2_000_000)).toThrow('line 1: 2000000 bytes long, not a result row');
  });
});

describe('metrics', () => {
  const lists = new Map([
    ['a', ['b', 'c', 'd']],
    ['b', ['a', 'c']],
    ['c', []],
  ]);
  const pop = new Map([['a', 4], ['b', 2], ['c', 2], ['d', 1]]);
  const input = {
    name: 'count',
    // a>b rank 1, a>d rank 3, b>c rank 2, c>a no list, b>z unseen.
    queries: ['a', 'a', 'b', 'c', 'b'],
    targets: ['b', 'd', 'c', 'a', 'z'],
    listOf: (q: string) => lists.get(q) ?? [],
    k: 2,
    depth: 3,
    pathsOf: (p: string) => pop.get(p) ?? 0,
    trainingPaths: 8,
    trainingProducts: 5,
    listedProducts: 2,
  };

  test('HR@K, MRR@K, coverage, popularity and the HR@k curve by hand', () => {
    const m = computeMetrics(input);
    expect(m.hr).toBeCloseTo(2 / 5, 12); // ranks 1 and 2 within K = 2
    expect(m.mrr).toBeCloseTo((1 + 1 / 2) / 5, 12);
    expect(m.coverage).toBeCloseTo(2 / 5, 12);
    // Top-2 lists of events with a list: [b,c] 2, [b,c] 2, [a,c] 3, [a,c] 3 paths on average, of 8.
    expect(m.popularity).toBeCloseTo((2 + 2 + 3 + 3) / 4 / 8, 12);
    expect(m.hrAt).toEqual([1 / 5, 2 / 5, 3 / 5]);
    expect([...m.ranks]).toEqual([1, 3, 2, 0, 0]);
    expect(m.events).toBe(5);
  });

  test('K = 1 and rankOf', () => {
    const m = computeMetrics({ ...input, k: 1, depth: 1 });
    expect([m.hr, m.mrr]).toEqual([1 / 5, 1 / 5]);
    expect(rankOf(['x', 'y'], 'y')).toBe(2);
    expect(rankOf(['x', 'y'], 'z')).toBe(0);
  });
});

describe('report', () => {
  const vsCount = (hr: [number, number], mrr: [number, number]) => ({ hr: 0, mrr: 0, hrInterval: { low: hr[0], high: hr[1] }, mrrInterval: { low: mrr[0], high: mrr[1] } });
  const rows = [
    { name: 'count', hr: 0.8, mrr: 0.6, coverage: 6 / 7, popularity: 20 / 45, vsCount: vsCount([0, 0], [0, 0]) },
    { name: 'popularity', hr: 0.6, mrr: 0.5, coverage: 1, popularity: 22 / 45, vsCount: vsCount([-0.4, 0.00001], [-0.35, -0.000001]) },
    { name: 'llr', hr: 0.8, mrr: 0.6, coverage: 1, popularity: 0.5, vsCount: null },
  ];
  test('TSV: a header row, one row per score, six decimals; the intervals of the difference to count, "-" without count', () => {
    expect(formatTsv(rows, 20).split('\n')).toEqual([
      'score\thr@20\tmrr@20\tcoverage\tpopularity\thr@20_vs_count_low\thr@20_vs_count_high\tmrr@20_vs_count_low\tmrr@20_vs_count_high',
      'count\t0.800000\t0.600000\t0.857143\t0.444444\t0.000000\t0.000000\t0.000000\t0.000000',
      'popularity\t0.600000\t0.500000\t1.000000\t0.488889\t-0.400000\t0.000010\t-0.350000\t-0.000001',
      'llr\t0.800000\t0.600000\t1.000000\t0.500000\t-\t-\t-\t-',
      '',
    ]);
  });
  test('table: aligned columns, four decimals, signed interval ends (a rounded zero unsigned)', () => {
    expect(formatTable(rows, 5).split('\n')).toEqual([
      'score         hr@5   mrr@5  coverage  popularity  hr@5 - count (95%)  mrr@5 - count (95%)',
      'count       0.8000  0.6000    0.8571      0.4444    [0.0000, 0.0000]     [0.0000, 0.0000]',
      'popularity  0.6000  0.5000    1.0000      0.4889   [-0.4000, 0.0000]    [-0.3500, 0.0000]',
      'llr         0.8000  0.6000    1.0000      0.5000                   -                    -',
      '',
    ]);
  });
});

describe('scores', () => {
  test('--scores: known names once, in order', () => {
    expect(parseScores('llr,count,llr,popularity')).toEqual(['llr', 'count', 'popularity']);
    expect(() => parseScores('count,lift')).toThrow('unknown score "lift"');
  });
  test("run-job.sh's words: the ranked-lists options", () => {
    expect(jobScoreArgs('cosine', 50)).toEqual(['--score', 'cosine', '--top', '50']);
  });
});

describe('chart', () => {
  test('one line per score; the y axis in steps of 1, 2 or 5 times a power of ten', () => {
    const svg = hrChart([{ name: 'count', values: [0.1, 0.2, 0.26] }, { name: 'a<b', values: [0.05, 0.1, 0.15] }], 'HR');
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('a&lt;b');
    const axis = (max: number): number[] => Object.values(yAxis([{ name: 'x', values: [max / 2, max] }])).map((v) => Number(v.toPrecision(6)));
    expect(axis(0.26)).toEqual([0.3, 0.1]);
    expect(axis(0.325)).toEqual([0.4, 0.1]);
    expect(axis(0.0496)).toEqual([0.05, 0.01]);
    expect(axis(0.013)).toEqual([0.015, 0.005]);
    expect(axis(0)).toEqual([0.05, 0.01]);
    expect(svg).toContain('>0.30</text>');
  });
});
