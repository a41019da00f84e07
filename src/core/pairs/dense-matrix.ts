/**
 * The dense side of in-memory combining: the first n interned ids' pair counts
 * in an n x n matrix, counted in the upper triangle only, mirrored into the
 * lower one before a row-by-row drain, and zeroed cell by cell so that pages
 * never written stay unmapped.
 */

/**
 * The first `n` interned ids (in practice the products of the first paths,
 * which include most popular ones) combine in an n x n matrix of counts:
 * one array increment per pair, with the row in cache. Pages are touched only
 * where ids exist, so a small catalog costs little memory.
 */
export class DenseMatrix {
  readonly cells: Uint32Array;
  /** Largest id + 1 used since the last drain (rows/columns to scan). */
  used = 0;
  constructor(readonly n: number) {
    this.cells = new Uint32Array(n * n);
  }

  /**
   * Weight of the ordered pair (a, b), a !== b. A path holding a and b holds
   * both orders, so only the upper triangle (a < b) is counted: half the
   * increments and half the memory touched.
   */
  weight(a: number, b: number): number {
    return a < b ? this.cells[a * this.n + b] : this.cells[b * this.n + a];
  }

  /** Calls fn for every pair with a non-zero weight, in id order, then zeroes the matrix. */
  drain(fn: (a: number, b: number, w: number) => void): void {
    const used = this.used;
    for (let a = 0; a < used; a++) {
      for (let b = 0; b < used; b++) {
        if (a === b) continue;
        const w = this.weight(a, b);
        if (w !== 0) fn(a, b, w);
      }
    }
    this.clear();
  }

  /**
   * Copies the upper triangle into the lower one, so each row holds its
   * weights in place for a row-by-row drain. Tile by tile: a plain transpose
   * would miss the cache on every cell of the column it writes.
   */
  mirror(): void {
    const { cells, n, used } = this;
    const T = 32;
    for (let i0 = 0; i0 < used; i0 += T) {
      const i1 = Math.min(i0 + T, used);
      for (let j0 = i0; j0 < used; j0 += T) {
        const j1 = Math.min(j0 + T, used);
        for (let a = i0; a < i1; a++) {
          const row = a * n;
          for (let b = j0 > a + 1 ? j0 : a + 1; b < j1; b++) {
            const w = cells[row + b];
            // Only non-zero cells: a page never written stays unmapped (sparse catalogs).
            if (w !== 0) cells[b * n + a] = w;
          }
        }
      }
    }
  }

  /** Zeroes the cells in use (writing only non-zero ones, so untouched pages stay unmapped). */
  clear(): void {
    const { cells, n, used } = this;
    for (let a = 0; a < used; a++) {
      const row = a * n;
      for (let b = 0; b < used; b++) if (cells[row + b] !== 0) cells[row + b] = 0;
    }
    this.used = 0;
  }
}
