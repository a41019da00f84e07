/**
 * A product page's full, sellable list (pure; the server and the evaluator
 * share it). Ids are latin1 keys (one char per byte). From the product's list
 * (best first, read deeper than n), unavailable products and the product
 * itself are left out (and, with `category=same`, other categories); when
 * fewer than n remain, the list is filled with its category's most co-viewed
 * products, then the whole store's (not with `same`), never repeating one
 * and never an unavailable one.
 */

export type ItemSource = 'related' | 'category' | 'popular';
export type CategoryMode = 'any' | 'same';

export interface Facts {
  category: string | null;
  available: boolean;
}

/** A product's facts; undefined (not in the catalog): available, no category. */
export type FactsOf = (key: string) => Facts | undefined;

export interface FillItem {
  key: string;
  source: ItemSource;
  /** Index in the related list (source 'related'), else -1. */
  index: number;
}

export interface FillInput {
  product: string;
  n: number;
  mode: CategoryMode;
  /** The product's related keys, best first (empty when it has no list). */
  related: readonly string[];
  facts: FactsOf;
  /** Most co-viewed first, available ones only, per category. */
  categoryTop: (category: string) => readonly string[];
  /** The whole store's most co-viewed first, available ones only. */
  popularTop: readonly string[];
}

/** `?category=`: absent = any; otherwise same or any, or an error message. */
export function parseCategoryMode(raw: string | undefined): CategoryMode | string {
  if (raw === undefined || raw === 'any') return 'any';
  if (raw === 'same') return 'same';
  return `category must be same or any, got ${JSON.stringify(raw.slice(0, 20))}`;
}

/** The related items that may be shown: available, not the product, in its category with `same`. */
export function keptRelated(i: FillInput, category: string | null): FillItem[] {
  const out: FillItem[] = [];
  for (let j = 0; j < i.related.length && out.length < i.n; j++) {
    const key = i.related[j];
    if (key === i.product) continue;
    const f = i.facts(key);
    if (f !== undefined && !f.available) continue;
    if (i.mode === 'same' && category !== null && (f?.category ?? null) !== category) continue;
    out.push({ key, source: 'related', index: j });
  }
  return out;
}

export function fillList(i: FillInput): FillItem[] {
  const category = i.facts(i.product)?.category ?? null;
  const out = keptRelated(i, category);
  if (out.length >= i.n) return out;
  const seen = new Set<string>(out.map((x) => x.key));
  seen.add(i.product);
  const take = (keys: readonly string[], source: ItemSource): void => {
    for (let j = 0; j < keys.length && out.length < i.n; j++) {
      if (seen.has(keys[j])) continue;
      seen.add(keys[j]);
      out.push({ key: keys[j], source, index: -1 });
    }
  };
  if (category !== null) take(i.categoryTop(category), 'category');
  if (i.mode === 'any') take(i.popularTop, 'popular');
  return out;
}

/** How deep to read a product's list for n items: twice n (at least n + 10), at most `max`. */
export function readDepth(n: number, max: number): number {
  return Math.min(max, Math.max(2 * n, n + 10));
}
