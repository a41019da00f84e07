/**
 * The file store's parts (issue 28 item 8, 3, 7): the compact loader equals
 * the reference ranking for files in the job's order and in any order, across
 * arenas; the id index equals a scan; the JSON cache stays within its bound;
 * a file cut short is refused; the longest lines the job writes are accepted;
 * a reload keeps the old lists until the new ones are in. MySQL's home-page
 * aggregate runs once at a time, in chunks, stale copies answered at once.
 */
import fc from 'fast-check';
import { RowDataPacket } from 'mysql2/promise';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rankedLists } from '../src/core/rank/result-row';
import { VIEW_LINE_BYTES } from '../src/io/streaming';
import { ResultLoader } from '../src/serve/file-lists';
import { loadLists } from '../src/serve/file-store';
import { IdIndex } from '../src/serve/id-index';
import { Lru } from '../src/serve/lru';
import { MysqlStore, POOL_QUEUE_LIMIT, POPULAR_CHUNK, poolOptions, Queryable, SESSION_SQL, SQL } from '../src/serve/mysql-store';
import { POPULAR_TTL_MS } from '../src/serve/popular-cache';
import { ReloadingFileStore } from '../src/serve/reloading-store';
import { tmpDir } from './helpers/exec';

const idChar = fc.constantFrom('a', 'B', 'b', '0', '1', ' ', '\xc9', '\xe9', '\x01', '%');
const id = fc.string({ unit: idChar, minLength: 1, maxLength: 3 });
const row = fc.record({ source: fc.constantFrom('p', 'q', 'r', 'P'), target: id, count: fc.integer({ min: 1, max: 4 }), score: fc.constantFrom(0.5, 1, 2.5e-3) });

function lines(rows: { source: string; target: string; count: number; score: number }[], scored: boolean): string {
  return rows.map((r) => `${r.source}\t${r.target}\t${r.count}${scored ? `\t${r.score}` : ''}\n`).join('');
}

function load(text: string, keep: number, arenaBytes: number): ReturnType<ResultLoader['finish']> {
  const loader = new ResultLoader(keep, arenaBytes);
  const buf = Buffer.from(text, 'latin1');
  let start = 0;
  for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
    loader.line(buf, start, nl);
    start = nl + 1;
  }
  return loader.finish();
}

describe('the compact loader', () => {
  test("each product's best rows, in the job's order or any order, across small arenas", () => {
    fc.assert(
      fc.property(fc.uniqueArray(row, { selector: (r) => `${r.source}\t${r.target}`, maxLength: 120 }), fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 5 }), (rows, sorted, scored, keep) => {
        const text = lines(sorted ? [...rows].sort((a, b) => (`${a.source}\t${a.target}` < `${b.source}\t${b.target}` ? -1 : 1)) : rows, scored);
        const ref = rankedLists(Buffer.from(text, 'latin1'));
        const got = load(text, keep, 16);
        expect(got.size).toBe(ref.size);
        for (const [source, list] of ref) {
          const facts = got.get(source);
          expect(facts?.rows).toEqual(list.slice(0, keep).map((r) => ({ target: r.target, count: r.count, score: r.score })));
          expect(facts?.related).toBe(list.length);
          expect(facts?.coViews).toBe(list.reduce((n, r) => n + Number(r.count), 0));
        }
      }),
      { numRuns: 300 },
    );
  });

  test('a long list is trimmed as it grows: the arena holds about keep rows, not the whole list', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `p\t${String(i).padStart(5, '0')}\t${(i * 7919) % 5000}\n`).join('');
    const got = load(text, 10, 1 << 20);
    expect(got.get('p')?.rows.map((r) => r.count)).toEqual(['4999', '4998', '4997', '4996', '4995', '4994', '4993', '4992', '4991', '4990']);
    expect(got.fileRows).toBe(5000);
    expect(got.arenaBytes).toBeLessThan(200);
  });
});

describe('the id index', () => {
  test('finds what a scan finds, in the same order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ unit: idChar, minLength: 1, maxLength: 6 }), { maxLength: 60 }), fc.string({ unit: idChar, minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 8 }), (ids, text, limit) => {
        const needle = text.toLowerCase();
        const scan = ids.map((s, i) => [s.toLowerCase(), i] as const).filter(([s]) => s.includes(needle)).map(([, i]) => i);
        expect(new IdIndex(ids).find(text, limit)).toEqual(scan.slice(0, limit));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the JSON cache', () => {
  test('keeps the most recently used within its bound', () => {
    const lru = new Lru(100);
    for (let i = 0; i < 1000; i++) lru.set(`k${i}`, ['x'.repeat(20)]);
    expect(lru.chars).toBeLessThanOrEqual(100);
    expect(lru.get('k999')).toEqual(['x'.repeat(20)]);
    expect(lru.get('k0')).toBeUndefined();
    lru.get('k996');
    lru.set('new', ['y'.repeat(20)]);
    expect(lru.get('k996')).toBeDefined();
  });
});

describe('result files', () => {
  const dir = tmpDir('vp-serve-files-');

  test('a file whose last line has no newline is refused', async () => {
    const file = path.join(dir, 'cut.tsv');
    fs.writeFileSync(file, 'a\tb\t1\na\tc\t2');
    await expect(loadLists(file)).rejects.toThrow(/cut\.tsv the last line has no newline/);
  });

  test('the longest line the job writes (two ids of a whole view line each) is accepted', async () => {
    const file = path.join(dir, 'long.tsv');
    const long = (c: string): string => c.repeat(VIEW_LINE_BYTES - 8);
    fs.writeFileSync(file, `${long('s')}\t${long('t')}\t3\n`);
    const { lists } = await loadLists(file);
    expect(lists.get(long('s'))?.rows.map((r) => r.target.length)).toEqual([VIEW_LINE_BYTES - 8]);
  });

  test('a reload keeps the old lists while loading and after a bad file; the new ones replace them', async () => {
    const file = path.join(dir, 'live.tsv');
    fs.writeFileSync(file, 'a\tb\t1\n');
    const log: string[] = [];
    const store = await ReloadingFileStore.open(file, (m) => log.push(m));
    expect(store.facts()).toMatchObject({ file, rows: 1, products: 1, reloading: false });
    fs.writeFileSync(file, 'a\tc\t5\na\td\t1\nz\ty\t1\n');
    const reloading = store.reload();
    expect(store.facts().reloading).toBe(true);
    expect((await store.related(Buffer.from('a'), 10))?.map((r) => r.target.toString())).toEqual(['b']);
    await reloading;
    expect((await store.related(Buffer.from('a'), 10))?.map((r) => r.target.toString())).toEqual(['c', 'd']);
    expect(store.facts()).toMatchObject({ rows: 3, products: 2, mtime: fs.statSync(file).mtime.toISOString() });
    const generation = store.generation;
    fs.writeFileSync(file, 'a\tq\t1');
    await store.reload();
    expect(store.generation).toBe(generation);
    expect((await store.related(Buffer.from('a'), 10))?.map((r) => r.target.toString())).toEqual(['c', 'd']);
    expect(log.at(-1)).toMatch(/reload of .*live\.tsv failed, still serving the lists of .*: .*last line has no newline/);
  });
});

describe("MySQL's home-page aggregate", () => {
  /** A fake pool holding products p000..p(n-1) with co-views i % 7, counting the chunk statements and the most at once. */
  function fakePool(n: number): Queryable & { statements: number; most: number } {
    const ids = Array.from({ length: n }, (_, i) => `p${String(i).padStart(3, '0')}`);
    let running = 0;
    const pool = {
      statements: 0,
      most: 0,
      async rows(sql: string, values: unknown[]): Promise<RowDataPacket[]> {
        expect(sql).toBe(SQL.popularChunk('t'));
        pool.statements++;
        pool.most = Math.max(pool.most, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        const after = String(values[0]);
        const rows = ids.filter((id) => id > after).slice(0, Number(values[1]));
        return rows.map((id) => {
          const row: RowDataPacket = Object.assign(Object.create(null), { source_product_id: Buffer.from(id), co_views: String(Number(id.slice(1)) % 7), related: 3 });
          return row;
        });
      },
      end: () => Promise.resolve(),
    };
    return pool;
  }

  test('one scan at a time, in primary-key chunks; a stale copy is answered at once while one scan refreshes it', async () => {
    let clock = 0;
    const pool = fakePool(POPULAR_CHUNK * 2 + 5);
    const store = new MysqlStore(pool, 't', () => clock);
    const first = await Promise.all(Array.from({ length: 10 }, () => store.popular(3)));
    expect(pool.statements).toBe(3);
    expect(pool.most).toBe(1);
    expect(first[9].map((p) => [p.product.toString(), p.coViews])).toEqual([['p006', 6], ['p013', 6], ['p020', 6]]);
    clock += POPULAR_TTL_MS;
    const stale = await Promise.all(Array.from({ length: 10 }, () => store.popular(3)));
    expect(stale[0]).toEqual(first[0]);
    // The refresh runs in the background: wait for its three chunks (or fail at the test's timeout).
    while (pool.statements < 6) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    expect(pool.statements).toBe(6);
    expect(pool.most).toBe(1);
  });

  test('the pool has a queue limit; sessions bound lock waits and statement time', () => {
    expect(poolOptions({}, 'db')).toMatchObject({ queueLimit: POOL_QUEUE_LIMIT, waitForConnections: true });
    expect(POOL_QUEUE_LIMIT).toBeGreaterThan(0);
    expect(SESSION_SQL[0]).toMatch(/lock_wait_timeout = \d+, max_statement_time = \d+/);
    expect(SESSION_SQL[1]).toMatch(/lock_wait_timeout = \d+, max_execution_time = \d+/);
  });
});
