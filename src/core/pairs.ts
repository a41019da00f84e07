/**
 * Phase 1: from the views of each path (grouped by path id) to weighted
 * ordered pairs of its distinct products.
 *
 * Pure with respect to I/O: lines come in as byte ranges, output goes to a
 * ByteSink, counters and warnings to the objects given. Memory is bounded:
 * product ids are interned into a byte arena, pairs are combined in a fixed
 * size open-addressing table that is flushed when full (in-reducer combining;
 * phase 2 adds partial sums up, so the final result does not depend on when
 * flushes happen), and a path stops being collected once over the cap.
 */
import { Counters } from '../io/counters';
import { ByteSink, putDecimal } from '../io/stdio';
import { KeyBuffer, sameBytes } from './key';
import { Skips } from './skips';
import { TAB, classifyView, ViewFields, VIEW_SKIP_REASONS } from './views';

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
}

export const DEFAULT_PAIRS_OPTIONS: PairsOptions = {
  maxPathProducts: 1000,
  combine: true,
  strict: false,
  tableSlots: 1 << 21,
  denseIds: 4096,
  maxInternedIds: 1 << 19,
  maxWeightPerDrain: 0xffffffff,
};

/** Writes a count from 1 to 99 at pos in decimal; returns the position after it. */
function putCount99(buf: Uint8Array, pos: number, w: number): number {
  if (w < 10) {
    buf[pos] = 0x30 + w;
    return pos + 1;
  }
  const tens = (w / 10) | 0;
  buf[pos] = 0x30 + tens;
  buf[pos + 1] = 0x30 + w - tens * 10;
  return pos + 2;
}

/** Sort keys of pairs: rank(source) * RANK_SPAN + rank(target), exact in a double. */
const RANK_SPAN = 1 << 26;

/** Output reserved at once by the raw emitter for one source product's lines. */
const RAW_BLOCK_BYTES = 1 << 20;
/**
 * Paths of at least this many products write raw pairs from templates
 * (emitFromTemplate). Below it the per-source set-up costs more than it saves:
 * on Diginetica (mostly small sessions) templates for every path were 20% slower.
 */
const RAW_TEMPLATE_MIN_PRODUCTS = 16;

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

export const PAIRS_COUNTERS = [
  'views_in',
  'header_lines',
  ...VIEW_SKIP_REASONS.map((r) => `skipped_${r}`),
  'duplicate_views',
  'paths',
  'capped_paths',
  'pairs',
  'pair_rows_out',
] as const;

/** The reference semantics, for tests: distinct products in first-seen order, every ordered pair. */
export function orderedPairs(products: readonly string[]): Array<[string, string]> {
  const distinct = [...new Set(products)];
  const out: Array<[string, string]> = [];
  for (const a of distinct) for (const b of distinct) if (a !== b) out.push([a, b]);
  return out;
}

/** Product ids interned to small integers; their bytes live in one arena. */
class IdTable {
  /** Open addressing on the id bytes' hash: id + 1 per slot, 0 = empty. */
  private slots: Int32Array = new Int32Array(1 << 12);
  private hashes: Int32Array = new Int32Array(1 << 12);
  arena: Buffer = Buffer.allocUnsafe(1 << 16);
  private arenaLen = 0;
  offsets: Int32Array = new Int32Array(1 << 12);
  lengths: Int32Array = new Int32Array(1 << 12);
  /** Last path (sequence number) each id was seen in, to count a product once per path. */
  seenIn: Int32Array = new Int32Array(1 << 12);
  size = 0;

  intern(buf: Buffer, start: number, end: number): number {
    const n = end - start;
    let h = 0x811c9dc5; // FNV-1a
    for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = h & mask;
    for (let s = slots[i] as number; s !== 0; s = slots[i] as number) {
      const id = s - 1;
      if (this.hashes[id] === h && this.lengths[id] === n && sameBytes(this.arena, this.offsets[id] as number, buf, start, n)) return id;
      i = (i + 1) & mask;
    }
    const id = this.size++;
    if (id >= this.offsets.length) this.growIds();
    if (this.arenaLen + n > this.arena.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.arenaLen + n));
      this.arena.copy(grown, 0, 0, this.arenaLen);
      this.arena = grown;
    }
    buf.copy(this.arena, this.arenaLen, start, end);
    this.offsets[id] = this.arenaLen;
    this.lengths[id] = n;
    this.seenIn[id] = -1;
    this.hashes[id] = h;
    this.arenaLen += n;
    slots[i] = id + 1;
    if (this.size * 2 > slots.length) this.rehash(slots.length * 2);
    return id;
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.size; id++) {
      let i = (this.hashes[id] as number) & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = id + 1;
    }
    this.slots = slots;
  }

  reset(): void {
    this.slots.fill(0);
    this.arenaLen = 0;
    this.size = 0;
    this.orderedCount = 0;
  }

  /** Ids [0, orderedCount) in output order (see compare); ids are only ever appended. */
  private ordered: Int32Array = new Int32Array(0);
  private orderedCount = 0;

  /**
   * Byte order of ids followed by a TAB: sorting `a<TAB>b<TAB>w` lines by bytes
   * is sorting by (a, b) in this order (ids hold no TAB). A shorter id that is a
   * prefix of a longer one comes first unless the longer one's next byte is
   * below TAB.
   */
  compare(x: number, y: number): number {
    const arena = this.arena;
    const xo = this.offsets[x];
    const yo = this.offsets[y];
    const xn = this.lengths[x];
    const yn = this.lengths[y];
    const n = xn < yn ? xn : yn;
    for (let i = 0; i < n; i++) {
      const d = arena[xo + i] - arena[yo + i];
      if (d !== 0) return d;
    }
    const xc = xn > n ? arena[xo + n] : TAB;
    const yc = yn > n ? arena[yo + n] : TAB;
    return xc - yc;
  }

  /** All ids in output order: the ids new since the last call are sorted and merged in. */
  byteOrder(): Int32Array {
    const size = this.size;
    const had = this.orderedCount;
    if (had === size) return this.ordered.subarray(0, size);
    const fresh = Array.from({ length: size - had }, (_, i) => had + i).sort((x, y) => this.compare(x, y));
    const merged = new Int32Array(Math.max(size, this.ordered.length));
    const old = this.ordered;
    let i = 0;
    let j = 0;
    let m = 0;
    while (i < had && j < fresh.length) merged[m++] = this.compare(old[i], fresh[j]) <= 0 ? old[i++] : fresh[j++];
    while (i < had) merged[m++] = old[i++];
    while (j < fresh.length) merged[m++] = fresh[j++];
    this.ordered = merged;
    this.orderedCount = size;
    return merged.subarray(0, size);
  }

  private growIds(): void {
    const cap = this.offsets.length * 2;
    const grow = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.offsets = grow(this.offsets);
    this.lengths = grow(this.lengths);
    this.seenIn = grow(this.seenIn);
    this.hashes = grow(this.hashes);
  }
}

/** Open-addressing (linear probing) table of (source id, target id) -> weight. */
class PairTable {
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

/**
 * The first `n` interned ids (in practice the products of the first paths,
 * which include most popular ones) combine in an n x n matrix of counts:
 * one array increment per pair, with the row in cache. Pages are touched only
 * where ids exist, so a small catalog costs little memory.
 */
class DenseMatrix {
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
    return a < b ? (this.cells[a * this.n + b] as number) : (this.cells[b * this.n + a] as number);
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
            const w = cells[row + b] as number;
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

/**
 * emitRaw's per-path scratch: the `b<TAB>1\n` tails laid end to end, where each
 * starts, and for tails of at most 8 bytes (every tail has at least 4) their
 * first and last 32-bit words.
 */
class RawTails {
  tails = new Uint8Array(1 << 12);
  at = new Int32Array(1 << 8);
  len = new Int32Array(1 << 8);
  w0 = new Uint32Array(1 << 8);
  w1 = new Uint32Array(1 << 8);
  private tailsView = new DataView(this.tails.buffer);
  private outBuf: Uint8Array | null = null;
  private outView: DataView | null = null;

  prepare(k: number): this {
    if (this.at.length < k + 1) {
      const n = (k + 1) * 2;
      this.at = new Int32Array(n);
      this.len = new Int32Array(n);
      this.w0 = new Uint32Array(n);
      this.w1 = new Uint32Array(n);
    }
    return this;
  }

  growTails(need: number): void {
    const grown = new Uint8Array(Math.max(need, this.tails.length * 2));
    grown.set(this.tails);
    this.tails = grown;
    this.tailsView = new DataView(grown.buffer);
  }

  /** Bumped per path: templates of an older path are stale. */
  path = 0;
  /** Per prefix length: the path's template (a view of its room), the path it is for, its room. */
  private readonly tpl: (Uint8Array | undefined)[] = [];
  private readonly tplPath: number[] = [];
  private readonly tplRoom: (Uint8Array | undefined)[] = [];
  /** A source's prefix `a<TAB>` as stored words (see prefix()). */
  pw0 = 0;
  pw1 = 0;
  private readonly pre = new Uint8Array(12);
  private readonly preView = new DataView(this.pre.buffer);

  /**
   * The path's template for prefixes of L bytes (2 to 8): its k lines with L
   * placeholder bytes before each tail, exactly as long as they are. Built
   * once per path and length, in a room of at most RAW_BLOCK_BYTES (callers
   * ask only for templates that fit), one per length: seven at most.
   */
  template(L: number, k: number): Uint8Array {
    const have = this.tpl[L];
    if (have !== undefined && this.tplPath[L] === this.path) return have;
    const at = this.at;
    const tails = this.tails;
    const size = k * L + at[k];
    let room = this.tplRoom[L];
    if (room === undefined || room.length < size) {
      room = new Uint8Array(Math.max(size, Math.min(size * 2, RAW_BLOCK_BYTES)));
      this.tplRoom[L] = room;
    }
    let t = 0;
    for (let j = 0; j < k; j++) {
      t += L;
      for (let x = at[j]; x < at[j + 1]; x++) room[t++] = tails[x];
    }
    const view = room.subarray(0, size);
    this.tpl[L] = view;
    this.tplPath[L] = this.path;
    return view;
  }

  /**
   * Sets pw0 (and pw1) for the prefix of aLen + 1 = L bytes (2 to 8). L = 4:
   * pw0 is the prefix. 5 to 8: pw0 its first four bytes, pw1 its last four.
   * Below 4: pw0 is the word that ends at the prefix's end, so it starts with
   * the end of "<TAB>1\n", which every line before it ends with.
   */
  prefix(arena: Uint8Array, aOff: number, aLen: number): void {
    const pre = this.pre;
    pre[0] = TAB;
    pre[1] = 0x31;
    pre[2] = 0x0a;
    for (let x = 0; x < aLen; x++) pre[3 + x] = arena[aOff + x];
    pre[3 + aLen] = TAB;
    const L = aLen + 1;
    if (L <= 4) {
      this.pw0 = this.preView.getUint32(L - 1, true);
    } else {
      this.pw0 = this.preView.getUint32(3, true);
      this.pw1 = this.preView.getUint32(L - 1, true);
    }
  }

  /** Fills len, w0 and w1 from the k tails laid out in `tails` and `at`. */
  words(k: number): void {
    const { at, len, w0, w1 } = this;
    const v = this.tailsView;
    for (let j = 0; j < k; j++) {
      const L = at[j + 1] - at[j];
      len[j] = L;
      if (L <= 8) {
        w0[j] = v.getUint32(at[j], true);
        w1[j] = v.getUint32(at[j] + L - 4, true);
      }
    }
  }

  /** A DataView over the output buffer, kept while the buffer stays the same. */
  view(buf: Uint8Array): DataView {
    if (buf !== this.outBuf || this.outView === null) {
      this.outBuf = buf;
      this.outView = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    return this.outView;
  }
}

/**
 * Each interned id's `id<TAB>` (2 to 8 bytes; len 0 otherwise) as two 32-bit
 * words, w0 stored at the line's position and w1 `at1` bytes further: for 4 to
 * 8 bytes the first four and the last four (overlapping); below 4, w0 twice,
 * its bytes past the TAB to be overwritten by what the line writes next (the
 * target's words, then at least one digit and '\n', so no store passes the
 * line's end). The drain writes pairs with these. Ids are only appended, so a
 * drain prepares just the new ones.
 */
class IdWords {
  len = new Int32Array(0);
  at1 = new Int32Array(0);
  w0 = new Uint32Array(0);
  w1 = new Uint32Array(0);
  private ready = 0;
  private readonly scratch = new Uint8Array(8);
  private readonly view = new DataView(this.scratch.buffer);

  /** The id table was reset: its ids are renumbered from 0. */
  reset(): void {
    this.ready = 0;
  }

  prepare(ids: { size: number; arena: Buffer; offsets: Int32Array; lengths: Int32Array }): void {
    const size = ids.size;
    if (this.len.length < size) {
      const n = Math.max(size, this.len.length * 2, 1024);
      const len = new Int32Array(n);
      const at1 = new Int32Array(n);
      const w0 = new Uint32Array(n);
      const w1 = new Uint32Array(n);
      len.set(this.len.subarray(0, this.ready));
      at1.set(this.at1.subarray(0, this.ready));
      w0.set(this.w0.subarray(0, this.ready));
      w1.set(this.w1.subarray(0, this.ready));
      this.len = len;
      this.at1 = at1;
      this.w0 = w0;
      this.w1 = w1;
    }
    const { arena, offsets, lengths } = ids;
    for (let id = this.ready; id < size; id++) {
      const n = (lengths[id] as number) + 1;
      if (n > 8) {
        this.len[id] = 0;
        continue;
      }
      const off = offsets[id] as number;
      this.scratch.fill(0);
      for (let k = 0; k < n - 1; k++) this.scratch[k] = arena[off + k] as number;
      this.scratch[n - 1] = TAB;
      const at1 = n > 4 ? n - 4 : 0;
      this.len[id] = n;
      this.at1[id] = at1;
      this.w0[id] = this.view.getUint32(0, true);
      this.w1[id] = this.view.getUint32(at1, true);
    }
    this.ready = size;
  }
}

export class PairsReducer {
  private readonly opts: PairsOptions;
  private readonly ids = new IdTable();
  private readonly table: PairTable | null;
  private readonly dense: DenseMatrix | null;
  private weightSinceDrain = 0;
  private readonly skips: Skips;
  private readonly f: ViewFields = { pathStart: 0, pathEnd: 0, productStart: 0, productEnd: 0 };
  private readonly key = new KeyBuffer();
  private pathSeq = 0;
  private pathIds: Int32Array = new Int32Array(1024);
  private pathLen = 0;
  private pathCapped = false;
  private readonly raw = new RawTails();
  private readonly words = new IdWords();
  /** flushTable's rank of each id in output order. */
  private rank = new Int32Array(0);
  private lineNo = 0;
  private readonly sum = { pairs: 0, rows: 0, views: 0, dups: 0, paths: 0, capped: 0 };

  constructor(
    private readonly out: ByteSink & { maybeFlush?: () => void },
    private readonly counters: Counters,
    options: Partial<PairsOptions> = {},
    warn: (message: string) => void = () => undefined,
  ) {
    this.opts = { ...DEFAULT_PAIRS_OPTIONS, ...options };
    const problem = pairsOptionsProblem(this.opts);
    if (problem !== null) throw new RangeError(problem);
    for (const c of PAIRS_COUNTERS) counters.add(c, 0);
    this.table = this.opts.combine ? new PairTable(this.opts.tableSlots) : null;
    this.dense = this.opts.combine && this.opts.denseIds > 0 ? new DenseMatrix(this.opts.denseIds) : null;
    this.skips = new Skips(counters, this.opts.strict, warn, 'view');
  }

  /** One input line, bytes [start, end) without its '\n'. */
  line(buf: Buffer, start: number, end: number): void {
    this.lineNo++;
    const f = this.f;
    const verdict = classifyView(buf, start, end, f);
    if (verdict !== 'ok') {
      if (verdict === 'header') this.counters.add('header_lines');
      else this.skips.skip(verdict, this.lineNo, buf, start, end);
      return;
    }
    this.sum.views++;
    if (!this.key.equals(buf, f.pathStart, f.pathEnd)) {
      this.finishPath();
      this.key.set(buf, f.pathStart, f.pathEnd);
    }
    if (this.pathCapped) return;
    const ids = this.ids;
    const id = ids.intern(buf, f.productStart, f.productEnd);
    if (ids.seenIn[id] === this.pathSeq) {
      this.sum.dups++;
      return;
    }
    ids.seenIn[id] = this.pathSeq;
    const cap = this.opts.maxPathProducts;
    if (cap > 0 && this.pathLen >= cap) {
      this.pathCapped = true; // one more distinct product than allowed: drop the path whole
      return;
    }
    if (this.pathLen === this.pathIds.length) {
      const grown = new Int32Array(this.pathIds.length * 2);
      grown.set(this.pathIds);
      this.pathIds = grown;
    }
    this.pathIds[this.pathLen++] = id;
  }

  /** A line over the reader's length limit: skipped and counted. */
  overlong(length: number): void {
    this.lineNo++;
    this.skips.skip('too_long', this.lineNo, null);
    void length;
  }

  /** End of input: the last path, the combining table, the counters. */
  end(): void {
    this.finishPath();
    this.flushTable();
    const c = this.counters;
    const s = this.sum;
    c.add('views_in', s.views);
    c.add('duplicate_views', s.dups);
    c.add('paths', s.paths);
    c.add('capped_paths', s.capped);
    c.add('pairs', s.pairs);
    c.add('pair_rows_out', s.rows);
  }

  private finishPath(): void {
    if (this.key.length < 0) return;
    const k = this.pathLen;
    this.sum.paths++;
    if (this.pathCapped) this.sum.capped++;
    else if (k >= 2) this.emitPath(k);
    this.pathLen = 0;
    this.pathCapped = false;
    if (++this.pathSeq === 0x7fffffff) {
      // seenIn holds Int32 path numbers: start over before they would wrap.
      this.ids.seenIn.fill(-1);
      this.pathSeq = 0;
    }
    if (this.ids.size > this.opts.maxInternedIds) {
      this.flushTable();
      this.ids.reset();
      this.words.reset();
    }
  }

  private emitPath(k: number): void {
    const pairs = k * (k - 1);
    this.sum.pairs += pairs;
    const table = this.table;
    const p = this.pathIds;
    if (table !== null && pairs <= table.maxEntries) {
      if (table.size + pairs > table.maxEntries || this.weightSinceDrain + pairs + k > this.opts.maxWeightPerDrain) this.flushTable();
      this.weightSinceDrain += pairs + k;
      const dense = this.dense;
      if (dense === null) {
        table.ready();
        for (let i = 0; i < k; i++) {
          const a = p[i];
          for (let j = 0; j < k; j++) if (j !== i) table.add(a, p[j]);
        }
        return;
      }
      const n = dense.n;
      const cells = dense.cells;
      // Ascending ids walk each matrix row forwards: far fewer cache misses.
      p.subarray(0, k).sort();
      // Ids below n (in the matrix) are p[0, m), the rest p[m, k).
      let m = k;
      if (p[k - 1] >= n) {
        table.ready();
        m = 0;
        while (p[m] < n) m++;
      }
      if (m > 0 && p[m - 1] >= dense.used) dense.used = p[m - 1] + 1;
      for (let i = 0; i < k; i++) {
        const a = p[i];
        if (i < m) {
          const row = a * n;
          // Upper triangle only (p ascending, so p[j] > a): see DenseMatrix.weight.
          let j = i + 1;
          // Four at a time: a V8 loop iteration costs several ns of its own here.
          for (; j + 3 < m; j += 4) {
            cells[row + p[j]]++;
            cells[row + p[j + 1]]++;
            cells[row + p[j + 2]]++;
            cells[row + p[j + 3]]++;
          }
          for (; j < m; j++) cells[row + p[j]]++;
          for (let j = m; j < k; j++) table.add(a, p[j]);
        } else {
          for (let j = 0; j < k; j++) if (j !== i) table.add(a, p[j]);
        }
      }
      return;
    }
    // Raw weight-1 pairs: requested, or one path larger than the whole table.
    this.emitRaw(k);
  }

  /**
   * Every ordered pair of the path's k products as `a<TAB>b<TAB>1` lines. Each
   * line is a prefix `a<TAB>` (fixed for a source) and a tail `b<TAB>1\n`. A
   * piece of 4 to 8 bytes is written as two possibly overlapping 32-bit words
   * (first four bytes, last four), prepared once per path: no per-byte loop and
   * no branch on the id's length, which is what made byte copies slow here.
   */
  private emitRaw(k: number): void {
    const ids = this.ids;
    const arena = ids.arena;
    const offsets = ids.offsets;
    const lengths = ids.lengths;
    const p = this.pathIds;
    const r = this.raw.prepare(k);
    const tailAt = r.at;
    let t = 0;
    for (let j = 0; j < k; j++) {
      const off = offsets[p[j]];
      const len = lengths[p[j]];
      if (t + len + 3 > r.tails.length) r.growTails(t + len + 3);
      const tb = r.tails;
      tailAt[j] = t;
      for (let x = off; x < off + len; x++) tb[t++] = arena[x];
      tb[t++] = TAB;
      tb[t++] = 0x31;
      tb[t++] = 0x0a;
    }
    tailAt[k] = t;
    const tailBytes = t;
    r.words(k);
    r.path++;
    const templated = k >= RAW_TEMPLATE_MIN_PRODUCTS;
    const tb = r.tails;
    const tLen = r.len;
    const tw0 = r.w0;
    const tw1 = r.w1;
    const out = this.out;
    for (let i = 0; i < k; i++) {
      const a = p[i];
      const aOff = offsets[a];
      const aEnd = aOff + lengths[a];
      const pLen = aEnd - aOff + 1;
      const need = (k - 1) * pLen + tailBytes;
      if (templated && pLen <= 8 && need + pLen <= RAW_BLOCK_BYTES) {
        this.emitFromTemplate(i, k, pLen, aOff);
        continue;
      }
      if (need > RAW_BLOCK_BYTES) {
        // Very long ids: line by line, so the output buffer stays small.
        for (let j = 0; j < k; j++) if (j !== i) this.writePair(a, p[j], 1);
        continue;
      }
      const buf = out.reserve(need);
      const dv = this.raw.view(buf);
      let pos = out.pos;
      const pWords = pLen >= 4 && pLen <= 8;
      let pw0 = 0;
      let pw1 = 0;
      if (pWords) {
        // The prefix's words, read from a line written the slow way once.
        for (let x = aOff; x < aEnd; x++) buf[pos + x - aOff] = arena[x];
        buf[pos + pLen - 1] = TAB;
        pw0 = dv.getUint32(pos, true);
        pw1 = dv.getUint32(pos + pLen - 4, true);
      }
      for (let j = 0; j < k; j++) {
        if (j === i) continue;
        if (pWords) {
          dv.setUint32(pos, pw0, true);
          dv.setUint32(pos + pLen - 4, pw1, true);
          pos += pLen;
        } else {
          for (let x = aOff; x < aEnd; x++) buf[pos++] = arena[x];
          buf[pos++] = TAB;
        }
        const L = tLen[j];
        if (L <= 8) {
          dv.setUint32(pos, tw0[j], true);
          dv.setUint32(pos + L - 4, tw1[j], true);
          pos += L;
        } else {
          const tEnd = tailAt[j + 1];
          for (let x = tailAt[j]; x < tEnd; x++) buf[pos++] = tb[x];
        }
      }
      out.pos = pos;
      this.sum.rows += k - 1;
      if (out.maybeFlush) out.maybeFlush();
    }
  }

  /**
   * Source i's k - 1 lines from the path's template for its prefix length L
   * (2 to 8): the template copied natively (all k lines, then the lines after
   * line i moved back over line i), and the prefix stored into each line as
   * one word (L up to 4) or two. Two native copies a source and one or two
   * stores a line, against four stores a line in emitRaw's own loop: on
   * MovieLens --no-combine about 25% less time in all.
   */
  private emitFromTemplate(i: number, k: number, L: number, aOff: number): void {
    const r = this.raw;
    const at = r.at;
    const tpl = r.template(L, k);
    const out = this.out;
    const buf = out.reserve(tpl.length);
    const dv = r.view(buf);
    const pos = out.pos;
    const cut = i * L + at[i];
    const lineI = L + at[i + 1] - at[i];
    buf.set(tpl, pos);
    if (i < k - 1) buf.copyWithin(pos + cut, pos + cut + lineI, pos + tpl.length);
    const arena = this.ids.arena;
    r.prefix(arena, aOff, L - 1);
    // The block's first line byte by byte: for L < 4 the word would start before the block.
    for (let x = 0; x < L - 1; x++) buf[pos + x] = arena[aOff + x];
    buf[pos + L - 1] = TAB;
    // Line j starts at pos + j * L + at[j] before line i, and lineI bytes earlier after it.
    const first = i === 0 ? 2 : 1;
    const from = Math.max(i + 1, first);
    const after = pos - lineI;
    const d = L - 4;
    const w0 = r.pw0;
    if (L <= 4) {
      // One word that ends at the prefix's end.
      for (let j = first; j < i; j++) dv.setUint32(pos + d + j * L + at[j], w0, true);
      for (let j = from; j < k; j++) dv.setUint32(after + d + j * L + at[j], w0, true);
    } else {
      const w1 = r.pw1;
      for (let j = first; j < i; j++) {
        const s = pos + j * L + at[j];
        dv.setUint32(s, w0, true);
        dv.setUint32(s + d, w1, true);
      }
      for (let j = from; j < k; j++) {
        const s = after + j * L + at[j];
        dv.setUint32(s, w0, true);
        dv.setUint32(s + d, w1, true);
      }
    }
    out.pos = pos + tpl.length - lineI;
    this.sum.rows += k - 1;
    if (out.maybeFlush) out.maybeFlush();
  }

  /**
   * Writes out and empties the dense matrix and the hash table. The rows come
   * in byte order of the lines (source, then target, in IdTable.compare
   * order), so a reducer whose input fits one drain writes a sorted file,
   * which the local runner's shuffle then merges instead of sorting.
   */
  private flushTable(): void {
    this.weightSinceDrain = 0;
    const dense = this.dense;
    const table = this.table;
    const denseUsed = dense === null ? 0 : dense.used;
    const sparse = table === null ? 0 : table.size;
    if (denseUsed === 0 && sparse === 0) return;
    const write = (a: number, b: number, w: number): void => this.writePair(a, b, w);
    if (this.ids.size >= RANK_SPAN) {
      // Too many ids for the sort keys: unordered (the runner sorts).
      if (dense !== null) dense.drain(write);
      if (table !== null && sparse > 0) table.drain(write);
      return;
    }
    const order = this.ids.byteOrder();
    this.words.prepare(this.ids);
    if (dense !== null) dense.mirror();
    const rank = this.rank.length >= order.length ? this.rank : (this.rank = new Int32Array(order.length * 2));
    for (let r = 0; r < order.length; r++) rank[order[r]] = r;
    const keys = table !== null && sparse > 0 ? table.sortedKeys(rank) : new Float64Array(0);
    // The dense matrix's columns, in order.
    const cols = new Int32Array(Math.min(denseUsed, order.length));
    let nCols = 0;
    for (let r = 0; r < order.length; r++) if (order[r] < denseUsed) cols[nCols++] = order[r];
    let s = 0;
    for (let r = 0; r < order.length && (s < keys.length || nCols > 0); r++) {
      const a = order[r];
      if (dense !== null && a < denseUsed) s = this.drainRow(a, r, dense, cols, nCols, order, keys, s);
      // The row's hash-table entries after its last dense column.
      s = this.drainSparse(a, r * RANK_SPAN, (r + 1) * RANK_SPAN, order, keys, s);
    }
    if (dense !== null) dense.used = 0; // drainRow zeroed every cell it wrote
    if (table !== null && sparse > 0) table.clear();
  }

  /**
   * Row a (rank r) of the dense matrix in column order, with the hash table's
   * entries of the row (keys from s on) merged in; returns the new s.
   */
  private drainRow(a: number, r: number, dense: DenseMatrix, cols: Int32Array, nCols: number, order: Int32Array, keys: Float64Array, s: number): number {
    const cells = dense.cells;
    const n = dense.n;
    const row = a * n;
    if (s >= keys.length || keys[s] >= (r + 1) * RANK_SPAN) {
      // No hash-table entries in this row: the matrix alone.
      this.drainDenseRow(a, cells, row, cols, nCols);
      return s;
    }
    const rank = this.rank;
    const rowKey = r * RANK_SPAN;
    for (let c = 0; c < nCols; c++) {
      const b = cols[c] as number;
      // Hash-table entries of this row that sort before b.
      s = this.drainSparse(a, rowKey, rowKey + (rank[b] as number), order, keys, s);
      const w = cells[row + b] as number;
      if (w !== 0) {
        this.writeDrained(a, b, w);
        cells[row + b] = 0;
      }
    }
    return s;
  }

  /**
   * Row a of the dense matrix alone, in column order, zeroing what it writes
   * (never a === b: the diagonal is not counted). The row's lines are written
   * in one loop into room reserved once, a's words held in locals: per line
   * that is about half the cost of a writeDrained call. A line that is not
   * words (an id over 7 bytes, a weight of 100 or more) goes through writePair.
   */
  private drainDenseRow(a: number, cells: Uint32Array, row: number, cols: Int32Array, nCols: number): void {
    const words = this.words;
    const la = words.len[a] as number;
    if (la === 0) {
      for (let c = 0; c < nCols; c++) {
        const b = cols[c] as number;
        const w = cells[row + b] as number; // mirrored: see DenseMatrix.mirror
        if (w !== 0) {
          this.writePair(a, b, w);
          cells[row + b] = 0;
        }
      }
      return;
    }
    const len = words.len;
    const at1 = words.at1;
    const w0 = words.w0;
    const w1 = words.w1;
    const aw0 = words.w0[a] as number;
    const aw1 = words.w1[a] as number;
    const a1 = words.at1[a] as number;
    const out = this.out;
    // A line of words is at most la + 8 + 2 digits + '\n'.
    const most = nCols * (la + 11);
    let buf = out.reserve(most);
    let dv = this.raw.view(buf);
    let pos = out.pos;
    let rows = 0;
    for (let c = 0; c < nCols; c++) {
      const b = cols[c] as number;
      const w = cells[row + b] as number;
      if (w === 0) continue;
      cells[row + b] = 0;
      const lb = len[b] as number;
      if (lb === 0 || w >= 100) {
        out.pos = pos;
        this.writePair(a, b, w);
        buf = out.reserve(most);
        dv = this.raw.view(buf);
        pos = out.pos;
        continue;
      }
      dv.setUint32(pos, aw0, true);
      dv.setUint32(pos + a1, aw1, true);
      pos += la;
      dv.setUint32(pos, w0[b] as number, true);
      dv.setUint32(pos + (at1[b] as number), w1[b] as number, true);
      pos = putCount99(buf, pos + lb, w);
      buf[pos++] = 0x0a;
      rows++;
    }
    out.pos = pos;
    this.sum.rows += rows;
    if (out.maybeFlush) out.maybeFlush();
  }

  /**
   * Row a's hash-table entries whose sort keys (from s on) are below `limit`;
   * rowKey is the row's first key. Returns the new s.
   */
  private drainSparse(a: number, rowKey: number, limit: number, order: Int32Array, keys: Float64Array, s: number): number {
    const table = this.table!;
    while (s < keys.length && (keys[s] as number) < limit) {
      const t = order[(keys[s++] as number) - rowKey] as number;
      this.writeDrained(a, t, table.get(a, t));
    }
    return s;
  }

  /**
   * writePair for flushTable: each `id<TAB>` of 2 to 8 bytes is two 32-bit
   * word writes (IdWords, prepared at the drain's start), not a byte loop.
   */
  private writeDrained(a: number, b: number, w: number): void {
    const words = this.words;
    const la = words.len[a] as number;
    const lb = words.len[b] as number;
    if (la === 0 || lb === 0 || w >= 100) {
      this.writePair(a, b, w);
      return;
    }
    const out = this.out;
    const buf = out.reserve(la + lb + 3);
    const dv = this.raw.view(buf);
    let pos = out.pos;
    dv.setUint32(pos, words.w0[a] as number, true);
    dv.setUint32(pos + (words.at1[a] as number), words.w1[a] as number, true);
    pos += la;
    dv.setUint32(pos, words.w0[b] as number, true);
    dv.setUint32(pos + (words.at1[b] as number), words.w1[b] as number, true);
    pos = putCount99(buf, pos + lb, w);
    buf[pos++] = 0x0a;
    out.pos = pos;
    this.sum.rows++;
    if (out.maybeFlush) out.maybeFlush();
  }

  private writePair(a: number, b: number, w: number): void {
    const ids = this.ids;
    const arena = ids.arena;
    const out = this.out;
    const aOff = ids.offsets[a];
    const aLen = ids.lengths[a];
    const bOff = ids.offsets[b];
    const bLen = ids.lengths[b];
    const buf = out.reserve(aLen + bLen + 20);
    let pos = out.pos;
    for (let i = 0; i < aLen; i++) buf[pos++] = arena[aOff + i];
    buf[pos++] = TAB;
    for (let i = 0; i < bLen; i++) buf[pos++] = arena[bOff + i];
    buf[pos++] = TAB;
    if (w < 100) {
      pos = putCount99(buf, pos, w);
    } else {
      out.pos = pos;
      putDecimal(out, w); // fits: 20 bytes were reserved past the ids
      pos = out.pos;
    }
    buf[pos++] = 0x0a;
    out.pos = pos;
    this.sum.rows++;
    if (out.maybeFlush) out.maybeFlush();
  }
}
