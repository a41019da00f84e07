/**
 * Popularity: in how many training paths each product was viewed, and the
 * baseline that recommends the most popular products (ties: id bytes) to
 * every query, the query itself left out. Fed the training views sorted
 * (`LC_ALL=C sort -u`), so one path's products arrive together
 * and a path over the job's cap is skipped whole, as the job skips it.
 */
export class PopularityCounter {
  readonly counts = new Map<string, number>();
  paths = 0;
  cappedPaths = 0;
  private path: string | null = null;
  private products: string[] = [];

  /** maxPathProducts 0 = no cap. */
  constructor(private readonly maxPathProducts: number) {}

  /** One (path, product) view; a path's views must be consecutive, and its views of one product too (sorted input). */
  add(path: string, product: string): void {
    if (path !== this.path) this.endPath();
    this.path = path;
    // The same product again: the same view at another time (training views carry their order).
    if (this.products[this.products.length - 1] !== product) this.products.push(product);
  }

  /** Call after the last view. */
  end(): Map<string, number> {
    this.endPath();
    return this.counts;
  }

  private endPath(): void {
    if (this.path === null) return;
    if (this.maxPathProducts > 0 && this.products.length > this.maxPathProducts) this.cappedPaths++;
    else {
      this.paths++;
      for (const p of this.products) this.counts.set(p, (this.counts.get(p) ?? 0) + 1);
    }
    this.path = null;
    this.products = [];
  }
}

/** The n most popular products: paths descending, then id bytes ascending. */
export function mostPopular(counts: ReadonlyMap<string, number>, n: number): string[] {
  return [...counts.entries()]
    .sort(([pa, ca], [pb, cb]) => cb - ca || (pa < pb ? -1 : pa > pb ? 1 : 0))
    .slice(0, n)
    .map(([p]) => p);
}

/** The baseline's list for a query: the first k of `top` (k + 1 long) without the query. */
export function popularityList(top: readonly string[], query: string, k: number): string[] {
  return top.filter((p) => p !== query).slice(0, k);
}
