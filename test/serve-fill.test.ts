/** Table tests of the filters and fallbacks (src/serve/fill.ts), the fallback rankings and the catalog's columns. */
import { Catalog, CatalogError } from '../src/serve/catalog';
import { FallbackIndex } from '../src/serve/fallback-index';
import { Facts, fillList, FillInput, parseCategoryMode, readDepth } from '../src/serve/fill';
import { Filler } from '../src/serve/filler';
import { ListStore } from '../src/serve/store';

const FACTS: Record<string, Facts> = {
  p: { category: 'tents', available: true },
  t1: { category: 'tents', available: true },
  t2: { category: 'tents', available: false },
  t3: { category: 'tents', available: true },
  t4: { category: 'tents', available: true },
  l1: { category: 'lamps', available: true },
  l2: { category: 'lamps', available: false },
  x: { category: null, available: true },
};

function input(o: Partial<FillInput>): FillInput {
  return {
    product: 'p',
    n: 4,
    mode: 'any',
    related: [],
    facts: (k) => FACTS[k],
    categoryTop: (c) => (c === 'tents' ? ['t4', 'p', 't1', 't3'] : c === 'lamps' ? ['l1'] : []),
    popularTop: ['l1', 't4', 'x', 'p', 'u'],
    ...o,
  };
}

const shown = (i: FillInput) => fillList(i).map((x) => `${x.key}:${x.source}`);

describe('fillList', () => {
  test.each<[string, Partial<FillInput>, string[]]>([
    ['an empty list: its category, then popular', {}, ['t4:category', 't1:category', 't3:category', 'l1:popular']],
    ['unavailable and the product itself left out', { related: ['t2', 'p', 'l2', 'l1', 't1'] }, ['l1:related', 't1:related', 't4:category', 't3:category']],
    ['a full list takes no fill', { n: 2, related: ['l1', 't1', 't3'] }, ['l1:related', 't1:related']],
    ['never a repeat: related items are not filled again', { n: 6, related: ['t4', 'u'] }, ['t4:related', 'u:related', 't1:category', 't3:category', 'l1:popular', 'x:popular']],
    ['same: other categories left out, no popular fill', { mode: 'same', related: ['l1', 't1', 'u'] }, ['t1:related', 't4:category', 't3:category']],
    ['a product without a category: same keeps all, no category fill', { product: 'x', mode: 'same', related: ['l1'] }, ['l1:related']],
    ['not in the catalog: available, popular fill only', { product: 'q', related: ['u'] }, ['u:related', 'l1:popular', 't4:popular', 'x:popular']],
    ['fewer products than n: as many as there are', { n: 20, related: ['u'] }, ['u:related', 't4:category', 't1:category', 't3:category', 'l1:popular', 'x:popular']],
  ])('%s', (_, o, want) => {
    expect(shown(input(o))).toEqual(want);
  });

  test('related items keep their index in the list read', () => {
    expect(fillList(input({ n: 2, related: ['t2', 'l1', 't1'] })).map((x) => x.index)).toEqual([1, 2]);
  });

  test('a fill for n is the first n of the fill for more (the server slices one answer)', () => {
    for (const related of [[], ['t2', 'l1'], ['t1', 't3', 'l1', 'u', 'x']]) {
      const all = shown(input({ n: 100, related }));
      for (let n = 1; n <= 8; n++) expect(shown(input({ n, related }))).toEqual(all.slice(0, n));
    }
  });
});

test.each<[string | undefined, string]>([
  [undefined, 'any'],
  ['any', 'any'],
  ['same', 'same'],
  ['', 'category must be same or any, got ""'],
  ['SAME', 'category must be same or any, got "SAME"'],
])('?category=%s', (raw, want) => {
  expect(parseCategoryMode(raw)).toBe(want);
});

test('readDepth: twice n, at least n + 10, at most the maximum', () => {
  expect([1, 10, 12, 60, 100].map((n) => readDepth(n, 100))).toEqual([11, 20, 24, 100, 100]);
});

describe('the catalog with facts', () => {
  test('a header names the columns in any order; without one, today\'s order and no facts', () => {
    const c = Catalog.parse(Buffer.from('available\tcategory\tproduct_id\tname\n0\ttents\tt1\tTent\n\tlamps\tl1\tLamp\n1\t\tx\tX\n'), 'cat');
    expect(c.facts).toBe(true);
    expect(c.get(Buffer.from('t1'))).toEqual({ name: 'Tent', image: null, category: 'tents', available: false });
    expect(c.get(Buffer.from('l1'))).toEqual({ name: 'Lamp', image: null, category: 'lamps', available: true });
    expect(c.get(Buffer.from('x'))).toEqual({ name: 'X', image: null, category: null, available: true });
    expect(Catalog.parse(Buffer.from('product_id\tname\timage_url\na\tA\thttps://x/a.png\n'), 'cat').facts).toBe(false);
    expect(Catalog.parse(Buffer.from('a\tA\n'), 'cat').facts).toBe(false);
  });

  test.each([
    ['product_id\tname\tcolour\n', 'cat: line 1 (header): unknown column "colour" (known: product_id, name, image_url, category, available)'],
    ['product_id\tname\tname\n', 'cat: line 1 (header): column name named twice'],
    ['product_id\tname\tavailable\na\tA\tyes\n', 'cat: line 2: available must be 1 or 0, got "yes"'],
    ['product_id\tname\tavailable\na\tA\n', 'cat: line 2 has 2 fields, the header names 3'],
    ['name\tproduct_id\tavailable\nA\t\t1\n', 'cat: line 2: empty product_id'],
  ])('refused: %j', (text, message) => {
    expect(() => Catalog.parse(Buffer.from(text), 'cat')).toThrow(new CatalogError(message));
  });
});

test('fallback rankings: most co-viewed first, available only, per category, at most keep', () => {
  const c = Catalog.parse(Buffer.from('product_id\tname\tcategory\tavailable\nt1\tA\ttents\t1\nt2\tB\ttents\t0\nt3\tC\ttents\t1\nl1\tD\tlamps\t1\n'), 'cat');
  const pop = ['t2', 'u', 't3', 'l1', 't1'].map((id, i) => ({ product: Buffer.from(id), coViews: 100 - i, related: 1 }));
  const ix = new FallbackIndex(pop, c, 3);
  expect(ix.popularTop).toEqual(['u', 't3', 'l1']);
  expect(ix.categoryTop('tents')).toEqual(['t3', 't1']);
  expect(ix.categoryTop('lamps')).toEqual(['l1']);
  expect(ix.categoryTop('mugs')).toEqual([]);
});

describe('Filler over a store that changes (MySQL-like)', () => {
  const ids = Array.from({ length: 30 }, (_, i) => `p${String(i).padStart(2, '0')}`);
  const catalogText = `product_id\tname\tcategory\tavailable\n${ids.map((id, i) => `${id}\t${id}\tc\t${i < 25 ? 0 : 1}\n`).join('')}new\tNew\tc\t1\n`;

  function fakeStore(calls: string[]): ListStore {
    return {
      kind: 'mysql',
      immutable: false,
      related: (product, n) => {
        calls.push(`related ${product.toString()} ${n}`);
        if (product.toString() !== 'src') return Promise.resolve(null);
        return Promise.resolve(ids.slice(0, n).map((id) => ({ target: Buffer.from(id), count: '1', score: null })));
      },
      popular: (k) => {
        calls.push(`popular ${k > 1000 ? 'all' : k}`);
        return Promise.resolve(ids.map((id, i) => ({ product: Buffer.from(id), coViews: 100 - i, related: 1 })));
      },
      findIds: () => Promise.resolve([]),
      check: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
  }

  test('reads the rest of the list before falling back', async () => {
    const calls: string[] = [];
    const f = new Filler(fakeStore(calls), Catalog.parse(Buffer.from(catalogText), 'cat'), 1 << 24);
    const list = await f.list(Buffer.from('src'), 3, 'any');
    expect(list?.map((e) => `${e.id.toString()}:${e.source}`)).toEqual(['p25:related', 'p26:related', 'p27:related']);
    expect(calls).toEqual(['related src 13', 'related src 100']);
  });

  test('concurrent fills build the rankings once', async () => {
    const calls: string[] = [];
    const f = new Filler(fakeStore(calls), Catalog.parse(Buffer.from(catalogText), 'cat'), 1 << 24);
    const lists = await Promise.all([f.list(Buffer.from('new'), 2, 'any'), f.list(Buffer.from('new'), 2, 'any')]);
    for (const l of lists) expect(l?.map((e) => `${e.id.toString()}:${e.source}`)).toEqual(['p25:category', 'p26:category']);
    expect(calls.filter((c) => c.startsWith('popular'))).toEqual(['popular all']);
    expect(await f.list(Buffer.from('unknown'), 2, 'any')).toBeNull();
  });
});
