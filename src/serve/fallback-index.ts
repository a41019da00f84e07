/**
 * The fallbacks' rankings: the whole store's and each category's most
 * co-viewed available products (the home page's measure: the sum of the
 * counts in a product's list), best first, from the store's popular() and
 * the catalog. Pure: built from values, rebuilt by the caller when stale.
 */
import { Catalog } from './catalog';
import { Popular } from './store';

export class FallbackIndex {
  readonly popularTop: string[] = [];
  private readonly byCategory = new Map<string, string[]>();

  /** keep: how many to hold per ranking (n, plus the items a list may already hold, plus the product). */
  constructor(popular: readonly Popular[], catalog: Catalog, keep: number) {
    for (const p of popular) {
      const key = p.product.toString('latin1');
      const e = catalog.getKey(key);
      if (e !== undefined && !e.available) continue;
      if (this.popularTop.length < keep) this.popularTop.push(key);
      if (e?.category == null) continue;
      let list = this.byCategory.get(e.category);
      if (list === undefined) this.byCategory.set(e.category, (list = []));
      if (list.length < keep) list.push(key);
    }
  }

  readonly categoryTop = (category: string): readonly string[] => this.byCategory.get(category) ?? [];
}
