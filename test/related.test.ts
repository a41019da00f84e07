/**
 * One product's list (src/core/result-list.ts and `related.js --product`),
 * the usage lines of the executables that read no stdin, and run-job.sh's
 * --help examples.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BestRows, ResultRow, ResultRowError } from '../src/core/rank/result-row';
import { formatRows, ProductListScanner } from '../src/core/result-list';
import { LineSplitter } from '../src/io/lines';
import { dataViews, DIST, sh, tmpDir } from './helpers/exec';
import { compareRanked } from './helpers/ranking-reference';

const B = (s: string): Buffer => Buffer.from(s, 'latin1');
const row = (target: string, count: string, score: string | null = null): ResultRow => ({
  source: 's',
  target,
  count,
  score: score === null ? null : Number(score),
  scoreText: score,
});
const text = (rows: ResultRow[]): string => formatRows(rows).toString('latin1');
const bestRows = (rows: ResultRow[], n: number): ResultRow[] => {
  const best = new BestRows<ResultRow>(n);
  for (const r of rows) best.add(r);
  return best.best();
};

/** Scans `input` cut into chunks of `chunk` bytes, stopping once the scanner is done. */
function scan(input: string, product: string, top: number, chunk = 7): { rows: string | null; done: boolean } {
  const s = new ProductListScanner(B(product), top);
  const lines = new LineSplitter(s.line, s.overlong, 64);
  const buf = B(input);
  for (let i = 0; i < buf.length && !s.done; i += chunk) lines.push(buf.subarray(i, i + chunk));
  if (!s.done) lines.end();
  const rows = s.rows();
  return { rows: rows === null ? null : text(rows), done: s.done };
}

describe('result-list (pure)', () => {
  test('best first: count descending (as numbers), then target bytes ascending (never as numbers)', () => {
    const rows = [row('9', '3'), row('10', '3'), row('b', '12'), row('a', '9'), row('11', '3'), row('B', '3'), row('é', '3')];
    expect(text(bestRows(rows, 0))).toBe('b\t12\na\t9\n10\t3\n11\t3\n9\t3\nB\t3\né\t3\n');
    expect(text(bestRows(rows, 2))).toBe('b\t12\na\t9\n');
    expect(text([row('x', '1', '0.25'), row('y', '1')])).toBe('x\t1\t0.25\ny\t1\n');
  });

  test.each([
    ['the block in the middle, then stop', 'a\tb\t1\nm\tx\t2\nm\ty\t5\nz\tq\t1\n', 'm', 10, 'y\t5\nx\t2\n', true],
    ['the last block (no newline at the end)', 'a\tb\t1\nm\tx\t2', 'm', 10, 'x\t2\n', false],
    ['a 4th score column kept, and ranks first (the job\'s order)', 'm\tx\t2\t0.5\nm\ty\t5\t0.1\r\n', 'm', 10, 'x\t2\t0.5\ny\t5\t0.1\n', false],
    ['equal scores: count, then target', 'm\tz\t2\t1e-7\nm\ty\t5\t1e-7\nm\tx\t5\t1e-7\n', 'm', 10, 'x\t5\t1e-7\ny\t5\t1e-7\nz\t2\t1e-7\n', false],
    ['--top', 'm\tx\t2\nm\ty\t5\nm\tz\t3\n', 'm', 2, 'y\t5\nz\t3\n', false],
    ['ids compared as bytes: 1 is not 01 nor 1.0', '01\ta\t1\n1.0\tb\t1\n1\tc\t1\n', '1', 10, 'c\t1\n', false],
    ['a bad line after the block is never read', 'm\tx\t2\nn\tbad\n', 'm', 10, 'x\t2\n', true],
    ['blank lines and a CR are no rows', '\nm\tx\t2\r\n\nm\ty\t3\n', 'm', 10, 'y\t3\nx\t2\n', false],
  ])('%s', (_name, input, product, top, want, done) => {
    for (const chunk of [1, 3, 7, 1000]) expect(scan(input, product, top, chunk)).toEqual({ rows: want, done });
  });

  test('a long block keeps only the best rows, the same as sorting it whole', () => {
    const targets = Array.from({ length: 500 }, (_, i) => `t${(i * 7919) % 1000}`);
    const input = targets.map((t, i) => `p\t${t}\t${(i * 31) % 17}\n`).join('');
    const all = bestRows(
      targets.map((t, i) => row(t, String((i * 31) % 17))),
      0,
    );
    expect(scan(input, 'p', 5, 4096).rows).toBe(text(all.slice(0, 5)));
    expect(scan(input, 'p', 0, 4096).rows).toBe(text(all));
  });

  test.each([
    ['an unknown product', 'a\tb\t1\n', 'zz', null],
    ['an empty file', '', 'a', null],
  ])('%s gives null', (_name, input, product, want) => {
    expect(scan(input, product, 10).rows).toBe(want);
  });

  test.each([
    ['a views file (first line checked whole)', '196\t242\n', 'x', /^line 1 is not a result row .*"196\\t242"$/],
    ['a count that is not digits', 'm\tx\t2.5\n', 'm', /^line 1 is not a result row/],
    ['five fields', 'a\tb\t1\nm\tx\t2\t3\t4\n', 'm', /^line 2 is not a result row/],
    ['an empty target', 'a\tb\t1\nm\t\t2\n', 'm', /^line 2 is not a result row/],
    ['a line without TAB', 'a\tb\t1\nnotab\n', 'm', /^line 2 is not a result row/],
    ['an overlong line', `a\tb\t1\n${'x'.repeat(100)}\n`, 'm', /^line 2: 100 bytes long, not a result row$/],
    // Fixed: any line read is checked (not only line 1 and the product's), as serve.js and evaluate.js do.
    ['a bad line before the block', 'a\tb\t1\na\tc\tx\nm\tx\t2\n', 'm', /^line 2 is not a result row .*"a\\tc\\tx"$/],
    // Fixed: a score that is not a finite decimal (serve.js refused it, related.js printed it and ranked by NaN).
    ['a nan score', 'm\tx\t2\t0.5\nm\ty\t5\tnan\n', 'm', /^line 2 is not a result row .*"m\\ty\\t5\\tnan"$/],
    ['a row without the score column after rows with one', 'm\tx\t2\t0.5\nm\ty\t5\n', 'm', /^line 2 is not a result row .*\(4 columns before\)/],
  ])('%s is an error', (_name, input, product, message) => {
    expect(() => scan(input, product, 10)).toThrow(ResultRowError);
    expect(() => scan(input, product, 10)).toThrow(message);
  });
});

function related(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(DIST, 'related.js'), ...args], { encoding: 'latin1' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('related.js --result FILE --product ID', () => {
  const dir = tmpDir('vp-related-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'viewed_products.tsv');
  const block = Array.from({ length: 12 }, (_, i) => `10\tt${String(i).padStart(2, '0')}\t1\n`).join('');
  fs.writeFileSync(file, `1\t10\t4\n10\t9\t3\n10\t10\t3\n10\t100\t7\n10\t11\t3\n10\tx\t12\n${block}9\t10\t1\n`);

  test('prints target<TAB>count lines, count descending then target bytes ("10" < "11" < "9")', () => {
    expect(related(['--result', file, '--product', '10', '--top', '5'])).toEqual({
      code: 0,
      stdout: 'x\t12\n100\t7\n10\t3\n11\t3\n9\t3\n',
      stderr: '',
    });
    expect(related([`--result=${file}`, '--product=9']).stdout).toBe('10\t1\n');
  });

  test('--top defaults to 10; --top 0 prints all', () => {
    const ten = related(['--result', file, '--product', '10']);
    expect(ten.stdout.split('\n').slice(0, -1)).toHaveLength(10);
    expect(ten.stdout.endsWith('t04\t1\n')).toBe(true);
    expect(related(['--result', file, '--product', '10', '--top', '0']).stdout.split('\n').slice(0, -1)).toHaveLength(17);
  });

  test('a score column is printed when the file has one', () => {
    const scored = path.join(dir, 'scored.tsv');
    fs.writeFileSync(scored, 'a\tb\t2\t0.125\na\tc\t5\t0.5\nb\ta\t2\t0.125\n');
    expect(related(['--result', scored, '--product', 'a']).stdout).toBe('c\t5\t0.5\nb\t2\t0.125\n');
  });

  test('an unknown product: one line on stderr, nothing on stdout, exit 3 (documented in --help)', () => {
    expect(related(['--result', file, '--product', '5'])).toEqual({
      code: 3,
      stdout: '',
      stderr: `related: product "5" is not in ${file}\n`,
    });
    expect(related(['--help']).stdout).toMatch(/3 the product is not in the result file/);
  });

  test('bad use: exit 2 with the reason; a file that is not a result: exit 1 naming the line', () => {
    for (const [args, message] of [
      [['--product', '10'], '--product needs --result FILE'],
      [['--result', file, '--product', '10', '--views', file], '--product takes no --views or --products'],
      [['--result', file, '--product', ''], '--product needs a non-empty id'],
      [['--result', file, '10'], 'unexpected argument "10"'],
      [['--result', file, '--product', '10', '--top', '-1'], '--top needs a whole number'],
    ] as Array<[string[], string]>) {
      const r = related(args);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(r.stderr).toContain(`related: ${message}`);
    }
    const views = path.join(dir, 'views.tsv');
    fs.writeFileSync(views, 'path_id\tproduct_id\n1\t2\n');
    const r = related(['--result', views, '--product', '1']);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toBe(
      `related: ${views} line 1 is not a result row (source<TAB>target<TAB>count[<TAB>score]): "path_id\\tproduct_id"\n`,
    );
    expect(related(['--result', path.join(dir, 'nope.tsv'), '--product', '1']).code).toBe(1);
  });

  test('on a real result: the same as an independent sort of the product rows', () => {
    const views = dataViews('diginetica', dir);
    expect(sh(`./run-job.sh --input '${views}' --output '${dir}/real' 2>/dev/null`).code).toBe(0);
    const result = path.join(dir, 'real', 'viewed_products.tsv');
    const rows = fs
      .readFileSync(result, 'latin1')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));
    const sizes = new Map<string, number>();
    for (const [s] of rows) sizes.set(s, (sizes.get(s) ?? 0) + 1);
    const biggest = [...sizes.entries()].sort((a, b) => b[1] - a[1])[0][0];
    for (const product of [rows[0][0], biggest, rows[rows.length - 1][0]]) {
      const want = rows
        .filter(([s]) => s === product)
        .map(([, t, c]) => ({ target: B(t), count: c, score: Number(c) }))
        .sort(compareRanked)
        .map((r) => `${r.target.toString('latin1')}\t${r.count}\n`)
        .join('');
      expect(related(['--result', result, '--product', product, '--top', '0']).stdout).toBe(want);
    }
  });

  test('without --product, the demo printer still takes --views and --result', () => {
    const views = path.join(dir, 'demo-views.tsv');
    fs.writeFileSync(views, 'path_id\tproduct_id\n1\t10\n1\t9\n2\t10\n');
    const r = related(['--views', views, '--result', file, '--products', '1', '--top', '2']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe('People who viewed 10 (viewed in 2 sessions) also viewed:\n  x    12 sessions viewed both\n  100   7 sessions viewed both\n');
  });
});

describe('usage lines', () => {
  test.each([
    ['related.js', ['Usage: related --result FILE --product ID [--top N]', '       related --views FILE --result FILE [--products N] [--top N]']],
    ['generate-views.js', ['Usage: generate-views [options] > views.tsv']],
    ['confirm.js', ['Usage: confirm --question TEXT']],
    ['partition.js', ['Usage: partition --out PREFIX [options] < input    (writes PREFIX-00000 ... one file per part)']],
    ['identity-mapper.js', ['Usage: identity-mapper [options] < input > output']],
  ])('%s --help', (name, want) => {
    const r = spawnSync(process.execPath, [path.join(DIST, name), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').slice(0, want.length + 1)).toEqual([...want, '']);
  });

  test('run-job.sh --help: examples, one product\'s list, every exit code', () => {
    const r = sh('./run-job.sh --help');
    expect(r.code).toBe(0);
    const help = r.stdout;
    for (const s of [
      'Examples:',
      './run-job.sh --input views.tsv --output out/',
      './run-job.sh --demo',
      './run-job.sh --db-defaults-file /etc/viewed-products/db.cnf --database shop',
      'node dist/related.js --result out/viewed_products.tsv --product ID [--top N]',
      'ops/top-products.sh --db-defaults-file FILE --database shop [--top N] ID...',
    ]) {
      expect(help).toContain(s);
    }
    expect(help.replace(/\s+/g, ' ')).toMatch(
      /Exit codes: 0 ok, 2 usage, 10 export failed, 20 a phase failed, 30 import failed, 40 shrink guard refused the import, 50 another run holds the lock, 60 the input is not views \(no valid view, or 90% or more of its lines skipped; nothing written\), 70 not enough free space in the work directory for the next phase \(docs\/operations\.md\), 130\/143 interrupted \(SIGINT\/SIGTERM\), 1 anything else\./,
    );
  });
});
