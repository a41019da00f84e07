/**
 * bench:serve's before/after of the filters and fallbacks (issue 25): the same
 * server with the same names, from a catalog without facts (today's answers)
 * and with them (one of 20 categories per product, one product in 25
 * unavailable), the default `?category=any` and `?category=same` (which
 * leaves most of a list out and fills it from the category). The variants run
 * interleaved, ROUNDS times, so a load change on the machine hits all alike.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROUNDS = Number(process.env.VP_BENCH_ROUNDS ?? 2);

export interface Variant {
  label: string;
  args: string[];
  query: string;
}

/** Writes both catalogs for the products (ids as latin1 strings) and returns the variants. */
export function fillVariants(dir: string, ids: readonly string[]): Variant[] {
  const plain = path.join(dir, 'catalog-plain.tsv');
  const facts = path.join(dir, 'catalog-facts.tsv');
  fs.writeFileSync(plain, Buffer.from(ids.map((id) => `${id}\tProduct ${id}\n`).join(''), 'latin1'));
  const rows = ids.map((id, i) => `${id}\tProduct ${id}\tc${i % 20}\t${i % 25 === 3 ? 0 : 1}\n`);
  fs.writeFileSync(facts, Buffer.from(`product_id\tname\tcategory\tavailable\n${rows.join('')}`, 'latin1'));
  return [
    { label: 'catalog without facts (before)', args: ['--catalog', plain], query: '' },
    { label: 'catalog with facts (after)', args: ['--catalog', facts], query: '' },
    { label: 'with facts, `?category=same`', args: ['--catalog', facts], query: '&category=same' },
  ];
}

/** Medians of each variant's rounds. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
