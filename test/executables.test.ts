/**
 * The bundled executables, spawned as Hadoop would spawn them, with input
 * written in chunks cut at awkward places.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { counters, DIST, runBundle, sh, tmpDir } from './helpers/exec';

const B = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Cuts `input` at the given byte offsets. */
function cut(input: Buffer, at: number[]): Buffer[] {
  const out: Buffer[] = [];
  let prev = 0;
  for (const a of [...at, input.length]) {
    out.push(input.subarray(prev, a));
    prev = a;
  }
  return out;
}

describe('bundles are self-contained executables', () => {
  test.each(['identity-mapper.js', 'pairs-reducer.js', 'sum-reducer.js'])('%s runs from an empty directory with --help', (name) => {
    const dir = tmpDir();
    fs.copyFileSync(path.join(DIST, name), path.join(dir, name));
    fs.chmodSync(path.join(dir, name), 0o755);
    const head = fs.readFileSync(path.join(dir, name), 'latin1').slice(0, 20);
    expect(head.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const r = spawnSync(`./${name}`, ['--help'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage:/);
    expect(fs.statSync(path.join(DIST, name)).mode & 0o111).toBe(0o111);
  });

  test.each(['identity-mapper.js', 'pairs-reducer.js', 'sum-reducer.js'])('%s exits 2 on a bad option', (name) => {
    const r = spawnSync(process.execPath, [path.join(DIST, name), '--bogus'], { encoding: 'utf8', input: '' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option --bogus/);
    expect(r.stdout).toBe('');
  });
});

describe('identity-mapper', () => {
  test('copies lines byte for byte and gives a TAB-less line its empty value', async () => {
    const input = B('1\t2\r\nnotab\r\n\n3\t4\t5\nlast\t1');
    for (const cuts of [[], [4], [4, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]) {
      const r = await runBundle('identity-mapper.js', [], cut(input, cuts));
      expect(r.code).toBe(0);
      expect(r.stdout.toString('latin1')).toBe('1\t2\r\nnotab\r\t\n\t\n3\t4\t5\nlast\t1\n');
      expect(counters(r.stderr).map_lines).toBe(5);
    }
  });

  // Inputs whose output is far larger than a pipe's buffer, so the write really fails.
  test.each([
    ['pairs-reducer.js --max-path-products=0', 700, (i: number) => `p\tid${i}\n`],
    ['sum-reducer.js', 200000, (i: number) => `a\tb${i}\t1\n`],
  ] as Array<[string, number, (i: number) => string]>)('%s: a closed stdout (EPIPE) ends it quietly', (command, rows, row) => {
    const file = path.join(tmpDir(), 'many.tsv');
    fs.writeFileSync(file, Array.from({ length: rows }, (_, i) => row(i)).join(''));
    const r = sh(`node dist/${command} < '${file}' 2>'${file}.err' | head -c 10 >/dev/null; echo "exit \${PIPESTATUS[0]}"`);
    expect(r.stdout).toBe('exit 0\n');
    // Ended at the failed write: no error, and no counters (the task did not finish).
    expect(fs.readFileSync(`${file}.err`, 'utf8')).toBe('');
  });

  test('a closed stdout (EPIPE) ends it quietly', () => {
    const file = path.join(tmpDir(), 'many.tsv');
    fs.writeFileSync(file, 'p\tq\n'.repeat(300000));
    const r = sh(`node dist/identity-mapper.js < '${file}' 2>'${file}.err' | head -n 1; echo "mapper exit \${PIPESTATUS[0]}"`);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('p\tq\nmapper exit 0\n');
    expect(fs.readFileSync(`${file}.err`, 'utf8')).toBe('');
  });
});

describe('pairs-reducer across chunk boundaries', () => {
  // Sorted views; the product "caf\u00e9\u20ac" is multi-byte UTF-8, "\xff" is not UTF-8 at all.
  const input = Buffer.concat([
    B('path_id\tproduct_id\r\n'),
    B('p1\tA\r\n'),
    Buffer.from('p1\tcaf\u00e9\u20ac\r\n', 'utf8'),
    B('p1\t\xff\r\n'),
    B('p2\tA\n'),
    B('p2\tA\n'),
    B('p2\tB'),
  ]);
  const cr = input.indexOf(B('\r\n'), 25);
  const euro = input.indexOf(Buffer.from('\u20ac', 'utf8'));
  const cutSets: Array<[string, number[]]> = [
    ['one chunk', []],
    ['inside a line', [24]],
    ['between CR and LF', [cr + 1]],
    ['inside a multi-byte character', [euro + 1, euro + 2]],
    ['every byte', Array.from({ length: input.length - 1 }, (_, i) => i + 1)],
  ];
  const expected = (() => {
    const ids = [B('A'), Buffer.from('caf\u00e9\u20ac', 'utf8'), B('\xff')];
    const rows: Buffer[] = [];
    for (const a of ids) for (const b of ids) if (a !== b) rows.push(Buffer.concat([a, B('\t'), b, B('\t1\n')]));
    rows.push(B('A\tB\t1\n'), B('B\tA\t1\n'));
    return rows.map((r) => r.toString('hex')).sort();
  })();

  test.each(cutSets)('%s', async (_name, cuts) => {
    for (const args of [[], ['--no-combine']]) {
      const r = await runBundle('pairs-reducer.js', args, cut(input, cuts), cuts.length > 50 ? 1 : 15);
      expect(r.code).toBe(0);
      const rows: string[] = [];
      let start = 0;
      for (let i = 0; i < r.stdout.length; i++) {
        if (r.stdout[i] === 0x0a) {
          rows.push(r.stdout.subarray(start, i + 1).toString('hex'));
          start = i + 1;
        }
      }
      expect(rows.sort()).toEqual(expected);
      const c = counters(r.stderr);
      expect(c).toMatchObject({ header_lines: 1, views_in: 6, duplicate_views: 1, paths: 2, pairs: 8 });
    }
  });

  test('bad lines are counted on stderr with a few example warnings; stdout stays data only', async () => {
    const bad = ['p\ta', 'p\tNULL', 'p', '\tq', ...Array.from({ length: 10 }, () => 'x\ty\tz'), 'p\tb'].join('\n');
    const r = await runBundle('pairs-reducer.js', [], [B(bad)]);
    expect(r.code).toBe(0);
    expect(r.stdout.toString('latin1').split('\n').filter(Boolean).sort()).toEqual(['a\tb\t1', 'b\ta\t1']);
    expect(counters(r.stderr)).toMatchObject({ skipped_null_id: 1, skipped_wrong_field_count: 11, skipped_empty_field: 1 });
    expect(r.stderr.split('\n').filter((l) => l.startsWith('pairs-reducer: skipped line')).length).toBe(5);
  });

  test('--strict exits non-zero on a bad line and names it', async () => {
    const r = await runBundle('pairs-reducer.js', ['--strict'], [B('p\ta\np\tNULL\n')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 2.*null_id/);
  });

  test('--max-path-products skips big paths whole', async () => {
    const r = await runBundle('pairs-reducer.js', ['--max-path-products=2'], [B('a\t1\na\t2\na\t3\nb\t1\nb\t2\n')]);
    expect(r.stdout.toString('latin1').split('\n').filter(Boolean).sort()).toEqual(['1\t2\t1', '2\t1\t1']);
    expect(counters(r.stderr).capped_paths).toBe(1);
  });
});

describe('sum-reducer', () => {
  test('sums runs of equal keys across chunk boundaries, the last line without newline', async () => {
    const input = B('a\tb\t1\r\na\tb\t2\na\tc\t7\nb\ta\t9007199254740991\nb\ta\t9007199254740991');
    for (const cuts of [[], [3], [5, 6], [input.length - 1]]) {
      const r = await runBundle('sum-reducer.js', [], cut(input, cuts));
      expect(r.code).toBe(0);
      expect(r.stdout.toString('latin1')).toBe('a\tb\t3\na\tc\t7\nb\ta\t18014398509481982\n');
      expect(counters(r.stderr)).toMatchObject({ pair_rows_in: 5, result_rows_out: 3, skipped_bad_pair_row: 0 });
    }
  });
});

describe('the plain Hadoop-style pipe', () => {
  test('cat | map | sort | reduce | map | sort | reduce on tricky ids', () => {
    const dir = tmpDir();
    const views = path.join(dir, 'views.tsv');
    fs.writeFileSync(views, B('path_id\tproduct_id\nu1\t007\nu1\t7\nu2\t7\r\nu2\t007\nu2\t85123A\nu3\t85123a\nu3\t85123A\nbad line\nu1\t007'));
    const r = sh(
      `cat '${views}' | dist/identity-mapper.js | LC_ALL=C sort | dist/pairs-reducer.js | dist/identity-mapper.js | LC_ALL=C sort | dist/sum-reducer.js 2>/dev/null`,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      ['007\t7\t2', '007\t85123A\t1', '7\t007\t2', '7\t85123A\t1', '85123A\t007\t1', '85123A\t7\t1', '85123A\t85123a\t1', '85123a\t85123A\t1', ''].join('\n'),
    );
  });
});
