/**
 * The phase-1 reducer's options: what each one means, their defaults (the one
 * place the default path cap of 1000 lives), and how the memory budget sizes
 * the path block and the id table (blockSizes).
 */

export interface PairsOptions {
  /** Paths with more distinct products are skipped whole; 0 = no cap. */
  maxPathProducts: number;
  /** Combine pairs in memory (default) or emit raw `a<TAB>b<TAB>1` lines. */
  combine: boolean;
  strict: boolean;
  /** Working memory of the combining (path block, id table, counting arrays), MiB. */
  memoryMb: number;
  /** Views held before the pairs are counted and written; 0 = from memoryMb (tests lower it). */
  blockViews: number;
  /** Interned ids kept before the block is written and the ids reset; 0 = from memoryMb. */
  maxInternedIds: number;
  /** Also write the supports as diagonal rows (support-counts.ts), for the scores. */
  supports: boolean;
}

export const DEFAULT_PAIRS_OPTIONS: PairsOptions = {
  maxPathProducts: 1000,
  combine: true,
  strict: false,
  memoryMb: 256,
  blockViews: 0,
  maxInternedIds: 0,
  supports: false,
};

/** Largest --memory-mb (1 TiB). */
export const MAX_MEMORY_MB = 1 << 20;
/** Bytes an interned id may cost: id table, its bytes, output words, counting arrays, supports, with growth slack. */
const BYTES_PER_ID = 128;
/** Bytes a held view costs: its id, its place in the per-id path lists, its path's end, growth slack. */
const BYTES_PER_VIEW = 12;
/** With --proximity (proximity-counts.ts) also its first place in the lists, its path's first places and its next place. */
export const PROXIMITY_BYTES_PER_VIEW = 24;
/** Most interned ids kept (a quarter of the budget at most goes to ids). */
const MAX_IDS = 1 << 19;
/** Most views held: Int32Array offsets, and counts that stay below 2^31. */
const MAX_BLOCK_VIEWS = 1 << 30;

/** The path block's capacity in views and the id table's limit, from the options. */
export function blockSizes(
  o: Pick<PairsOptions, 'memoryMb' | 'blockViews' | 'maxInternedIds'>,
  bytesPerView = BYTES_PER_VIEW,
): { views: number; ids: number } {
  const bytes = o.memoryMb * 1024 * 1024;
  const ids = o.maxInternedIds > 0 ? o.maxInternedIds : Math.min(MAX_IDS, Math.floor(bytes / 4 / BYTES_PER_ID));
  const views = o.blockViews > 0 ? o.blockViews : Math.min(MAX_BLOCK_VIEWS, Math.floor((bytes - ids * BYTES_PER_ID) / bytesPerView));
  return { views: Math.max(2, views), ids: Math.max(1, ids) };
}

/** Why pairs options are unusable, or null. */
export function pairsOptionsProblem(o: Pick<PairsOptions, 'memoryMb'>): string | null {
  if (!Number.isInteger(o.memoryMb) || o.memoryMb < 1 || o.memoryMb > MAX_MEMORY_MB) {
    return `--memory-mb must be a whole number of MiB from 1 to ${MAX_MEMORY_MB}, got ${o.memoryMb}`;
  }
  return null;
}
