/**
 * The sparse side of in-memory combining: an open-addressing (linear probing)
 * table of (source id, target id) -> weight, allocated on first use, read
 * back either in sort-key order (sortedKeys + get) or in slot order (drain).
 */
import { RANK_SPAN } from './id-table';

/** Open-addressing (linear probing) table of (source id, target id) -> weight. */
export class PairTable {
  // Allocated by ready(), when the first pair needs the table (many catalogs fit the dense matrix).
  private src = new Int32Array(0);
  private dst = new Int32Array(0);
  private weight = new Float64Array(0);
  private readonly slots: number;
  private readonly mask: number;
  private readonly shift: number;
  readonly maxEntries: number;
  size = 0;

  constructor(slots: number) {
    if (slots < 16 || (slots & (slots - 1)) !== 0) throw new Error(`table slots must be a power of two >= 16, got ${slots}`);
    this.slots = slots;
    this.mask = slots - 1;
    this.shift = 32 - Math.log2(slots);
    this.maxEntries = Math.floor(slots * 0.7);
  }

  /** Allocates the table; call before add(). */
  ready(): void {
    if (this.src.length === 0) {
      this.src = new Int32Array(this.slots).fill(-1);
      this.dst = new Int32Array(this.slots);
      this.weight = new Float64Array(this.slots);
    }
  }

  add(a: number, b: number): void {
    const src = this.src;
    const dst = this.dst;
    const mask = this.mask;
    let i = Math.imul(Math.imul(a, 0x9e3779b1) ^ b, 0x85ebca6b) >>> this.shift;
    for (;;) {
      const s = src[i];
      if (s === a && dst[i] === b) {
        this.weight[i]++;
        return;
      }
      if (s === -1) {
        src[i] = a;
        dst[i] = b;
        this.weight[i] = 1;
        this.size++;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** Weight of (a, b), which must be in the table. */
  get(a: number, b: number): number {
    const src = this.src;
    const dst = this.dst;
    const mask = this.mask;
    let i = Math.imul(Math.imul(a, 0x9e3779b1) ^ b, 0x85ebca6b) >>> this.shift;
    while (src[i] !== a || dst[i] !== b) i = (i + 1) & mask;
    return this.weight[i];
  }

  /** Every entry as rank[a] * RANK_SPAN + rank[b], ascending. */
  sortedKeys(rank: Int32Array): Float64Array {
    const keys = new Float64Array(this.size);
    const src = this.src;
    const dst = this.dst;
    let n = 0;
    for (let i = 0; i < src.length; i++) {
      const a = src[i];
      if (a !== -1) keys[n++] = rank[a] * RANK_SPAN + rank[dst[i]];
    }
    return keys.sort();
  }

  clear(): void {
    if (this.size > 0) this.src.fill(-1);
    this.size = 0;
  }

  /** Calls fn for every entry, then empties the table. */
  drain(fn: (a: number, b: number, w: number) => void): void {
    const src = this.src;
    for (let i = 0; i < src.length; i++) {
      const a = src[i];
      if (a !== -1) {
        fn(a, this.dst[i], this.weight[i]);
        src[i] = -1;
      }
    }
    this.size = 0;
  }
}
