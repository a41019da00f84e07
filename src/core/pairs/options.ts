/**
 * The phase-1 reducer's options: what each one means, their defaults (the one
 * place the default path cap of 1000 lives) and the check that rejects
 * unusable table sizes before any memory is allocated.
 */

export interface PairsOptions {
  /** Paths with more distinct products are skipped whole; 0 = no cap. */
  maxPathProducts: number;
  /** Combine pairs in memory (default) or emit raw `a<TAB>b<TAB>1` lines. */
  combine: boolean;
  strict: boolean;
  /** Slots of the combining hash table (a power of two); 16 bytes each. */
  tableSlots: number;
  /** Ids below this combine in a dense matrix (4 * denseIds^2 bytes, touched lazily); 0 = none. */
  denseIds: number;
  /** Interned ids kept before the tables are flushed and reset. */
  maxInternedIds: number;
  /** Weight added before the tables are drained; below 2^32 so no dense count wraps (tests lower it). */
  maxWeightPerDrain: number;
  /** Also write the supports as diagonal rows (support-counts.ts), for the scores. */
  supports: boolean;
}

export const DEFAULT_PAIRS_OPTIONS: PairsOptions = {
  maxPathProducts: 1000,
  combine: true,
  strict: false,
  tableSlots: 1 << 21,
  denseIds: 4096,
  maxInternedIds: 1 << 19,
  maxWeightPerDrain: 0xffffffff,
  supports: false,
};

/** Largest --dense-ids: 4 * n^2 bytes of (lazily touched) matrix. */
export const MAX_DENSE_IDS = 8192;

/** Why pairs options are unusable, or null. */
export function pairsOptionsProblem(o: Pick<PairsOptions, 'tableSlots' | 'denseIds'>): string | null {
  if (!Number.isInteger(o.tableSlots) || o.tableSlots < 16 || (o.tableSlots & (o.tableSlots - 1)) !== 0 || o.tableSlots > 1 << 28) {
    return `--combine-slots must be a power of two from 16 to 2^28, got ${o.tableSlots}`;
  }
  if (!Number.isInteger(o.denseIds) || o.denseIds < 0 || o.denseIds > MAX_DENSE_IDS) {
    return `--dense-ids must be from 0 to ${MAX_DENSE_IDS}, got ${o.denseIds}`;
  }
  return null;
}
