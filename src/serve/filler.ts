/**
 * Filters and fallbacks at serve time, for a catalog with facts: reads the
 * product's list deeper than n, fills it (fill.ts) from the fallback rankings
 * (rebuilt from the store's popular() when older than REFRESH_MS, one build at
 * a time, the stale copy served meanwhile), and makes the API's JSON entries.
 * From an immutable store, each product's full answer (MAX_N) is made once
 * per mode and sliced: a fill for n is the first n of the fill for MAX_N.
 */
import { Catalog } from './catalog';
import { FallbackIndex } from './fallback-index';
import { CategoryMode, fillList, FillItem, ItemSource, readDepth } from './fill';
import { idJsonFields } from './ids';
import { Lru } from './lru';
import { ListStore, MAX_N, Related } from './store';

/** The store's products read for the rankings: all of them, in practice. */
const POPULAR_POOL = 10_000_000;
/** Per ranking: n, plus a list's related items, plus the product. */
const KEEP = 2 * MAX_N + 1;
const REFRESH_MS = 5 * 60_000;

export interface FilledEntry {
  id: Buffer;
  source: ItemSource;
  /** The related row (source 'related'). */
  row: Related | null;
}

export class Filler {
  private index: { at: number; value: FallbackIndex } | null = null;
  private building: Promise<FallbackIndex> | null = null;
  /** Bounded like the routes' own cache: a crawl of every product keeps the server's memory fixed. */
  private readonly jsonCache: Lru;

  constructor(
    private readonly store: ListStore,
    private readonly catalog: Catalog,
    cacheChars: number,
  ) {
    this.jsonCache = new Lru(cacheChars);
  }

  private readonly facts = (key: string) => this.catalog.getKey(key);

  private async fallbacks(): Promise<FallbackIndex> {
    const now = Date.now();
    if (this.index !== null && (this.store.immutable || now - this.index.at < REFRESH_MS)) return this.index.value;
    if (this.building === null) {
      this.building = this.store
        .popular(POPULAR_POOL)
        .then((p) => {
          const value = new FallbackIndex(p, this.catalog, KEEP);
          this.index = { at: Date.now(), value };
          return value;
        })
        .finally(() => (this.building = null));
    }
    return this.index !== null ? this.index.value : this.building;
  }

  /** The product's filled list of at most n; null when it has neither a list nor a catalog entry. */
  async list(id: Buffer, n: number, mode: CategoryMode): Promise<FilledEntry[] | null> {
    const product = id.toString('latin1');
    let depth = readDepth(n, MAX_N);
    let rows = await this.store.related(id, depth);
    if (rows === null && this.catalog.getKey(product) === undefined) return null;
    const input = (r: Related[] | null, fb: FallbackIndex | null) => ({
      product,
      n,
      mode,
      related: (r ?? []).map((x) => x.target.toString('latin1')),
      facts: this.facts,
      categoryTop: fb === null ? () => [] : fb.categoryTop,
      popularTop: fb === null ? [] : fb.popularTop,
    });
    let items = fillList(input(rows, null));
    // Too many left out: the rest of the list before any fallback.
    if (items.length < n && rows !== null && rows.length === depth && depth < MAX_N) {
      depth = MAX_N;
      rows = await this.store.related(id, depth);
      items = fillList(input(rows, null));
    }
    if (items.length < n) items = fillList(input(rows, await this.fallbacks()));
    return items.map((x: FillItem) => ({
      id: x.index === -1 ? Buffer.from(x.key, 'latin1') : rows![x.index].target,
      source: x.source,
      row: x.index === -1 ? null : rows![x.index],
    }));
  }

  /** The API's JSON entries for the first n. */
  async json(id: Buffer, n: number, mode: CategoryMode): Promise<string[] | null> {
    if (!this.store.immutable) {
      const list = await this.list(id, n, mode);
      return list === null ? null : list.map((e) => this.entryJson(e));
    }
    const key = `${mode}:${id.toString('latin1')}`;
    let rows = this.jsonCache.get(key);
    if (rows === undefined) {
      const list = await this.list(id, MAX_N, mode);
      if (list === null) return null;
      rows = list.map((e) => this.entryJson(e));
      this.jsonCache.set(key, rows);
    }
    return rows.length > n ? rows.slice(0, n) : rows;
  }

  private entryJson(e: FilledEntry): string {
    const entry = this.catalog.get(e.id);
    let out = `{${idJsonFields('product', e.id)}`;
    if (e.row !== null) {
      out += `,"count":${e.row.count.replace(/^0+(?=.)/, '')}`;
      if (e.row.score !== null) out += `,"score":${JSON.stringify(e.row.score)}`;
    }
    if (entry !== undefined) out += `,"name":${JSON.stringify(entry.name)}`;
    return `${out},"source":"${e.source}"}`;
  }
}
