/**
 * Product ids interned to small integers (IdTable): the ids' bytes live in one
 * growing arena, found again through an open-addressing hash of their bytes,
 * with each id's last path for per-path duplicate checks. Also the byte order
 * of ids as output lines sort them (compare, byteOrder).
 */
import { sameBytes } from '../key';
import { TAB } from '../views';

/** Product ids interned to small integers; their bytes live in one arena. */
export class IdTable {
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
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = h & mask;
    for (let s = slots[i]; s !== 0; s = slots[i]) {
      const id = s - 1;
      if (this.hashes[id] === h && this.lengths[id] === n && sameBytes(this.arena, this.offsets[id], buf, start, n)) return id;
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
      let i = this.hashes[id] & mask;
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
