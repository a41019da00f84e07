/**
 * The bench's store-scale generator (bench/store-data.ts, bench/store-file.ts):
 * deterministic for a seed, and on a small size the shape the issue asks for:
 * exact view and session counts, interleaved sessions, Zipf popularity,
 * category browsing, crawlers over the path cap, repeated views, and its pair
 * count equal to one recomputed from the rows.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIRST_PATH, writeStore } from '../bench/store-file';
import { STORE_DEFAULTS, generateStore, productCategories, productIds, storeParams, type StoreParams } from '../bench/store-data';

const SMALL: StoreParams = {
  ...STORE_DEFAULTS,
  views: 60_000,
  sessions: 5_000,
  products: 2_000,
  categories: 40,
  crawlerShare: 0.004,
  crawlerMinViews: 100,
  crawlerMaxViews: 1_500,
  maxPathProducts: 300,
  seed: 7,
};

function rows(p: StoreParams): { paths: Int32Array; products: Int32Array; stats: ReturnType<typeof generateStore> } {
  const paths = new Int32Array(p.views);
  const products = new Int32Array(p.views);
  let i = 0;
  const stats = generateStore(p, (path, product) => {
    paths[i] = path;
    products[i] = product;
    i++;
  });
  return { paths, products, stats };
}

function digest(p: StoreParams): string {
  const r = rows(p);
  return createHash('sha256').update(Buffer.from(r.paths.buffer)).update(Buffer.from(r.products.buffer)).digest('hex');
}

describe('determinism', () => {
  test('the same parameters give the same rows; another seed other rows', () => {
    expect(digest(SMALL)).toBe(digest(SMALL));
    expect(digest({ ...SMALL, seed: 8 })).not.toBe(digest(SMALL));
  });
});

describe('shape of a small store', () => {
  const p = SMALL;
  const { paths, products, stats } = rows(p);
  const bySession = new Map<number, number[]>();
  for (let i = 0; i < p.views; i++) {
    const s = bySession.get(paths[i] as number) ?? [];
    s.push(products[i] as number);
    bySession.set(paths[i] as number, s);
  }

  test('exactly the views and sessions asked for; ids in range; paths numbered in start order', () => {
    expect(stats.views).toBe(p.views);
    expect(bySession.size).toBe(p.sessions);
    expect([...bySession.keys()]).toEqual([...Array(p.sessions).keys()]); // first rows in path order
    expect(Math.min(...products)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...products)).toBeLessThan(p.products);
  });

  test('rows interleave sessions (time order), not session by session', () => {
    let runs = 1;
    for (let i = 1; i < p.views; i++) if (paths[i] !== paths[i - 1]) runs++;
    const multi = [...bySession.values()].filter((s) => s.length > 1).length;
    expect(runs).toBeGreaterThan(p.sessions + multi / 2);
  });

  test('popularity is Zipf-like: each decade of ranks gets a similar share of the views', () => {
    const views = new Float64Array(p.products);
    for (const x of products) views[x] = (views[x] as number) + 1;
    const decade = (lo: number, hi: number): number => views.slice(lo, hi).reduce((a, b) => a + b, 0);
    const d1 = decade(10, 100);
    const d2 = decade(100, 1000);
    expect(d2 / d1).toBeGreaterThan(0.4);
    expect(d2 / d1).toBeLessThan(2.5);
    expect(views[0]).toBeGreaterThan((views[50] as number) * 5);
  });

  test('normal sessions mostly browse one or two categories', () => {
    const cat = productCategories(p);
    let shares = 0;
    let n = 0;
    for (const s of bySession.values()) {
      if (s.length < 5 || s.length > 100) continue;
      const per = new Map<number, number>();
      for (const x of s) per.set(cat[x] as number, (per.get(cat[x] as number) ?? 0) + 1);
      const top2 = [...per.values()].sort((a, b) => b - a).slice(0, 2).reduce((a, b) => a + b, 0);
      shares += top2 / s.length;
      n++;
    }
    expect(n).toBeGreaterThan(100);
    expect(shares / n).toBeGreaterThan(0.75);
  });

  test('crawlers: hundreds to thousands of products, some over the path cap', () => {
    expect(stats.crawlerSessions).toBeGreaterThan(5);
    expect(stats.sessionsOverCap).toBeGreaterThan(0);
    expect(stats.maxDistinct).toBeGreaterThan(p.maxPathProducts);
    const big = [...bySession.values()].filter((s) => s.length >= p.crawlerMinViews).length;
    expect(big).toBeGreaterThanOrEqual(stats.crawlerSessions);
  });

  test('repeated views, and the pair count, match a recount of the rows', () => {
    let repeated = 0;
    let pairs = 0;
    let over = 0;
    for (const s of bySession.values()) {
      const d = new Set(s).size;
      repeated += s.length - d;
      if (d > p.maxPathProducts) over++;
      else pairs += d * (d - 1);
    }
    expect(repeated).toBeGreaterThan(0);
    expect(stats.repeatedViews).toBe(repeated);
    expect(stats.pairs).toBe(pairs);
    expect(stats.sessionsOverCap).toBe(over);
  });
});

describe('parameters and ids', () => {
  test.each([[1], [10], [7919], [15838], [200_000]])('productIds(%d) is a bijection onto 1..n', (n) => {
    const ids = productIds(n);
    expect(new Set(ids).size).toBe(n);
    expect(ids.every((id) => /^[1-9][0-9]*$/.test(id) && Number(id) <= n)).toBe(true);
  });

  test.each([
    [13_500_000, 2_000_000],
    [3_375_000, 500_000],
    [6_750_000, 1_000_000],
  ])('storeParams(%d) has %d sessions and the full catalogue', (views, sessions) => {
    const p = storeParams(views);
    expect(p.sessions).toBe(sessions);
    expect(p.products).toBe(STORE_DEFAULTS.products);
  });

  test('too few views for the sessions is an error', () => {
    expect(() => generateStore({ ...SMALL, views: 100 }, () => {})).toThrow(/too few/);
  });
});

describe('writeStore', () => {
  test('writes path_id<TAB>product_id lines, no header, in the generated order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    try {
      const p = { ...SMALL, views: 3_000, sessions: 400, crawlerShare: 0 };
      const file = join(dir, 'views.tsv');
      writeStore(p, file);
      const ids = productIds(p.products);
      const want: string[] = [];
      generateStore(p, (path, product) => want.push(`${FIRST_PATH + path}\t${ids[product] as string}\n`));
      expect(readFileSync(file, 'latin1')).toBe(want.join(''));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
