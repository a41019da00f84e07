/**
 * A small store with facts for the filters-and-fallbacks tests (file and
 * MySQL): tents t* and lamps l*; t3 and l2 unavailable; t9 in the catalog
 * with no list. Co-views (the sum of a list's counts): t1 14, t2 6, l1 5,
 * t3 4, l2 2, l3 2, t4 1.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** source, target, count, in the order of each list (best first). */
export const FILL_ROWS: Array<[string, string, number]> = [
  ['t1', 't2', 5],
  ['t1', 't3', 4],
  ['t1', 'l1', 3],
  ['t1', 'l2', 2],
  ['t2', 't1', 5],
  ['t2', 't4', 1],
  ['t3', 't1', 4],
  ['t4', 't2', 1],
  ['l1', 't1', 3],
  ['l1', 'l3', 2],
  ['l2', 't1', 2],
  ['l3', 'l1', 2],
];

export const UNAVAILABLE = ['t3', 'l2'];

/** product_id, name, category, available. */
export const FILL_CATALOG: Array<[string, string, string, number]> = [
  ['t1', 'Tent 1', 'tents', 1],
  ['t2', 'Tent 2', 'tents', 1],
  ['t3', 'Tent 3', 'tents', 0],
  ['t4', 'Tent 4', 'tents', 1],
  ['t9', 'Tent 9', 'tents', 1],
  ['l1', 'Lamp 1', 'lamps', 1],
  ['l2', 'Lamp 2', 'lamps', 0],
  ['l3', 'Lamp 3', 'lamps', 1],
];

export interface FillFiles {
  result: string;
  /** With a header, columns out of today's order, and facts. */
  facts: string;
  /** Today's header-less product_id<TAB>name lines. */
  plain: string;
  /** A header naming only today's columns. */
  plainHeader: string;
  /** LOAD DATA rows for viewed_products: source, target, count, score (\N), list_rank. */
  ranked: string;
  /** LOAD DATA rows for db/schema.sql's products: product_id, name, image_url, category, available. */
  products: string;
}

export function writeFillFixture(dir: string): FillFiles {
  const f = (name: string, text: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const rank = new Map<string, number>();
  const ranked = FILL_ROWS.map(([s, t, c]) => {
    rank.set(s, (rank.get(s) ?? 0) + 1);
    return `${s}\t${t}\t${c}\t\\N\t${rank.get(s)}\n`;
  });
  return {
    result: f('fill.tsv', FILL_ROWS.map((r) => `${r.join('\t')}\n`).join('')),
    facts: f('facts.tsv', `category\tproduct_id\tavailable\tname\n${FILL_CATALOG.map(([p, n, c, a]) => `${c}\t${p}\t${a}\t${n}\n`).join('')}`),
    plain: f('plain.tsv', FILL_CATALOG.map(([p, n]) => `${p}\t${n}\n`).join('')),
    plainHeader: f('plain-header.tsv', `product_id\tname\n${FILL_CATALOG.map(([p, n]) => `${p}\t${n}\n`).join('')}`),
    ranked: f('fill.load', ranked.join('')),
    products: f('products.load', FILL_CATALOG.map(([p, n, c, a]) => `${p}\t${n}\t\\N\t${c}\t${a}\n`).join('')),
  };
}

/** What /api/related/<id> answers with the facts catalog (shared by the file and MySQL tests). */
export const FILLED: Array<[string, string, unknown]> = [
  [
    'a product with no list gets its category, then the store',
    't9?n=5',
    { product: 't9', related: [
      { product: 't1', name: 'Tent 1', source: 'category' },
      { product: 't2', name: 'Tent 2', source: 'category' },
      { product: 't4', name: 'Tent 4', source: 'category' },
      { product: 'l1', name: 'Lamp 1', source: 'popular' },
      { product: 'l3', name: 'Lamp 3', source: 'popular' },
    ] },
  ],
  [
    'unavailable products left out, the rest filled without repeats',
    't1?n=4',
    { product: 't1', related: [
      { product: 't2', count: 5, name: 'Tent 2', source: 'related' },
      { product: 'l1', count: 3, name: 'Lamp 1', source: 'related' },
      { product: 't4', name: 'Tent 4', source: 'category' },
      { product: 'l3', name: 'Lamp 3', source: 'popular' },
    ] },
  ],
  [
    'category=same: its category only, no store-wide fill',
    't1?n=4&category=same',
    { product: 't1', related: [
      { product: 't2', count: 5, name: 'Tent 2', source: 'related' },
      { product: 't4', name: 'Tent 4', source: 'category' },
    ] },
  ],
  [
    'the product itself never, the default n of 10',
    't4',
    { product: 't4', related: [
      { product: 't2', count: 1, name: 'Tent 2', source: 'related' },
      { product: 't1', name: 'Tent 1', source: 'category' },
      { product: 'l1', name: 'Lamp 1', source: 'popular' },
      { product: 'l3', name: 'Lamp 3', source: 'popular' },
    ] },
  ],
];

/** Every product with a list or in the catalog. */
export const FILL_PRODUCTS = [...new Set([...FILL_ROWS.map((r) => r[0]), ...FILL_CATALOG.map((r) => r[0])])];
