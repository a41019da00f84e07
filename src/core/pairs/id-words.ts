/**
 * Output words of interned ids (IdWords): each id's `id<TAB>` as two 32-bit
 * words, so the combined rows are written with word stores instead of byte
 * loops (see CoCounts.writeRow).
 */
import { TAB } from '../views';

/**
 * Each interned id's `id<TAB>` (2 to 8 bytes; len 0 otherwise) as two 32-bit
 * words, w0 stored at the line's position and w1 `at1` bytes further: for 4 to
 * 8 bytes the first four and the last four (overlapping); below 4, w0 twice,
 * its bytes past the TAB to be overwritten by what the line writes next (the
 * target's words, then at least one digit and '\n', so no store passes the
 * line's end). Combined rows are written with these. Ids are only appended, so a
 * flush prepares just the new ones.
 */
export class IdWords {
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
      const n = lengths[id] + 1;
      if (n > 8) {
        this.len[id] = 0;
        continue;
      }
      const off = offsets[id];
      this.scratch.fill(0);
      for (let k = 0; k < n - 1; k++) this.scratch[k] = arena[off + k];
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

/**
 * Into g, 4 words per target: targets[from, to)'s words (IdWords by rank, 4 words each:
 * len | at1 << 8, w0, w1, unused) and their acc values, each acc zeroed. One tight loop of
 * independent loads, so their cache misses overlap before the row's lines are written.
 */
export function gatherRow(g: Uint32Array, targets: Int32Array, from: number, to: number, words4: Uint32Array, acc: Uint32Array): void {
  for (let i = from, k = 0; i < to; i++, k += 4) {
    const b = targets[i];
    g[k] = words4[b * 4];
    g[k + 1] = words4[b * 4 + 1];
    g[k + 2] = words4[b * 4 + 2];
    g[k + 3] = acc[b];
    acc[b] = 0;
  }
}
