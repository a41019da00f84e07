/** The demo's printer: what its numbers count (sessions, not raw views) and how they read. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResultRowError } from '../src/core/rank/result-row';
import { formatRelated, SessionCounts, thousands, TopRelated } from '../src/demo/related';
import { sh, tmpDir } from './helpers/exec';

const dir = tmpDir('vp-demo-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test.each([
  [0, '0'],
  [999, '999'],
  [1000, '1,000'],
  [4146, '4,146'],
  [1234567, '1,234,567'],
])('thousands(%d) = %s', (n, s) => expect(thousands(n)).toBe(s));

test('the top lists read the count, and rank by the score when a score column follows it (the job\'s order)', () => {
  const t = new TopRelated(['a'], 2);
  for (const row of ['a\tb\t5', 'a\tc\t7', 'a\td\t5', 'x\ty\t9']) t.offer(row);
  expect(t.top('a')).toEqual([
    { target: 'c', count: '7' },
    { target: 'b', count: '5' },
  ]);
  const scored = new TopRelated(['a'], 2);
  for (const row of ['a\tc\t7\t0.5', 'a\td\t5\t0.75', 'a\tb\t5\t0.75', 'x\ty\t9\t1']) scored.offer(row);
  expect(scored.top('a')).toEqual([
    { target: 'b', count: '5', score: 0.75 },
    { target: 'd', count: '5', score: 0.75 },
  ]);
  expect(formatRelated('a', 9, scored.top('a'))).toContain('b  5 sessions viewed both, score 0.7500\n');
});

// Fixed: the demo compared UTF-16 strings (an emoji before U+FF5A) and counts as Number (tied past 2^53); now the rows' bytes and digits.
test('the demo ranks by target bytes and exact counts, as every reader does', () => {
  const t = new TopRelated(['a'], 0);
  for (const row of ['a\t\u{1F600}\t5', 'a\t\uFF5A\t5', 'a\tx\t9007199254740992', 'a\ty\t9007199254740993']) t.offer(row);
  expect(t.top('a').map((r) => r.target)).toEqual(['y', 'x', '\uFF5A', '\u{1F600}']);
  expect(thousands(t.top('a')[0].count)).toBe('9,007,199,254,740,993');
});

// Fixed: the demo read any line (a nan score ranked as NaN); now it refuses what the other readers refuse.
test.each(['a\tb\t1\tnan', 'a\tb\tx', 'a\tb'])('%j is not a result row for the demo either', (row) => {
  expect(() => new TopRelated(['a'], 2).offer(row)).toThrow(ResultRowError);
});

test('a product counts once per session however often it was viewed there', () => {
  const c = new SessionCounts();
  for (const l of ['path_id\tproduct_id', 's1\ta', 's1\ta', 's1\tb\r', 's2\ta', 'junk', 's3\t', 's3\ta\tb', 'NULL\ta', 's4\tNULL']) c.offer(l);
  expect([...c.counts()]).toEqual([
    ['a', 2],
    ['b', 1],
  ]);
});

test.each([
  [
    'labels and aligns both numbers',
    formatRelated('shoes-000', 4146, [
      { target: 'jackets-001', count: '1383' },
      { target: 'mugs-4', count: '1' },
    ]),
    'People who viewed shoes-000 (viewed in 4,146 sessions) also viewed:\n' +
      '  jackets-001  1,383 sessions viewed both\n' +
      '  mugs-4           1 session viewed both\n',
  ],
  [
    'says when nothing was viewed with it',
    formatRelated('x', 1, []),
    'People who viewed x (viewed in 1 session) also viewed:\n  (no other product was viewed in the same sessions)\n',
  ],
])('formatRelated %s', (_name, got, want) => expect(got).toBe(want));

test('related.js counts sessions, not raw views, and labels every number', () => {
  const views = path.join(dir, 'views.tsv');
  const result = path.join(dir, 'result.tsv');
  // a: 4 raw views in 2 sessions; b: 3 sessions, so b comes first.
  fs.writeFileSync(views, 'path_id\tproduct_id\ns1\ta\ns1\ta\ns1\ta\ns1\tb\ns2\ta\ns2\tb\ns3\tb\n');
  fs.writeFileSync(result, 'a\tb\t2\nb\ta\t2\n');
  const r = sh(`node dist/related.js --views '${views}' --result '${result}' --products 2 --top 5`);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(
    'People who viewed b (viewed in 3 sessions) also viewed:\n  a  2 sessions viewed both\n\n' +
      'People who viewed a (viewed in 2 sessions) also viewed:\n  b  2 sessions viewed both\n',
  );
});

test('related.js (demo) names the file and line of a row that is not one, exit 1', () => {
  const views = path.join(dir, 'views2.tsv');
  const result = path.join(dir, 'bad.tsv');
  fs.writeFileSync(views, 'path_id\tproduct_id\ns1\ta\ns1\tb\n');
  fs.writeFileSync(result, 'a\tb\t1\t0.5\n\nb\ta\t1\tnan\n');
  const r = sh(`node dist/related.js --views '${views}' --result '${result}'`);
  expect([r.code, r.stdout]).toEqual([1, '']);
  expect(r.stderr).toBe(`related: ${result} line 3 is not a result row (source<TAB>target<TAB>count[<TAB>score]): "b\\ta\\t1\\tnan"\n`);
});
