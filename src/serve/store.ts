/**
 * What the server asks of a list source (the result file in memory, or the
 * MySQL table). Lists come best first by the contract's ranking: score
 * descending (the count when there is no score), then count descending, then
 * target id bytes ascending.
 */
/** The most related products one request may ask for (`n`), and so what a file store keeps per product. */
export const MAX_N = 100;

export interface Related {
  target: Buffer;
  /** Decimal digits, exact at any size. */
  count: string;
  /** null when the lists are ranked by count. */
  score: number | null;
}

export interface Popular {
  product: Buffer;
  /** Sum of the counts of the product's list: how often it was viewed together with others. */
  coViews: number;
  /** Related products in its list. */
  related: number;
}

export interface ListStore {
  /** Which source, for logs and /healthz. */
  readonly kind: 'file' | 'mysql';
  /** Lists never change while the server runs (a file), so answers may be reused. */
  readonly immutable: boolean;
  /** Changes when an immutable store's lists are replaced whole (a reloaded file): cached answers are stale. */
  readonly generation?: number;
  /** What /healthz adds about the loaded lists (the file's mtime and rows). */
  facts?(): Record<string, string | number | boolean>;
  /** The product's best n related products, best first; null when the source has no list for it. */
  related(product: Buffer, n: number): Promise<Related[] | null>;
  /** The k products with the most co-views, most first. */
  popular(k: number): Promise<Popular[]>;
  /** Ids of products with a list that contain `text` (bytes; MySQL: that start with it, an index range), at most `limit`. */
  findIds(text: Buffer, limit: number): Promise<Buffer[]>;
  /** Throws when the source cannot answer. */
  check(): Promise<void>;
  close(): Promise<void>;
}
