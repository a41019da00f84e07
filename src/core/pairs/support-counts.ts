/**
 * Phase 1's supports (with --supports): per interned id, the kept paths that
 * hold it, and the kept paths; written as diagonal rows `a<TAB>a<TAB>n` and
 * `<TAB><TAB>N` (see ../rank/supports.ts) before the id table is reset and at
 * the end. Not counted as pair rows: phase 2's mapper drops them.
 */
import { putDecimal } from '../../io/decimal';
import { NEWLINE } from '../../io/lines';
import { putBytes, ReducerSink } from '../../io/sink';
import { TAB } from '../views';
import { IdTable } from './id-table';

export class SupportCounts {
  private counts = new Float64Array(1 << 12);
  private kept = 0;

  constructor(
    private readonly out: ReducerSink,
    private readonly ids: IdTable,
  ) {}

  /** A kept path: its distinct ids p[0, k). */
  path(p: Int32Array, k: number): void {
    this.kept++;
    if (this.ids.size > this.counts.length) {
      const grown = new Float64Array(Math.max(this.counts.length * 2, this.ids.size));
      grown.set(this.counts);
      this.counts = grown;
    }
    const counts = this.counts;
    for (let i = 0; i < k; i++) counts[p[i]]++;
  }

  /** Writes the ids' rows and clears them (before the id table is reset). */
  flushIds(): void {
    const ids = this.ids;
    const counts = this.counts;
    for (let id = 0; id < ids.size; id++) {
      const n = counts[id];
      if (n === 0) continue;
      const off = ids.offsets[id];
      const end = off + ids.lengths[id];
      this.row(ids.arena, off, end, n);
      counts[id] = 0;
    }
  }

  /** The ids' rows, then the kept paths' row. */
  end(): void {
    this.flushIds();
    this.row(this.ids.arena, 0, 0, this.kept);
  }

  private row(src: Uint8Array, start: number, end: number, n: number): void {
    const out = this.out;
    putBytes(out, src, start, end);
    out.reserve(1)[out.pos++] = TAB;
    putBytes(out, src, start, end);
    out.reserve(1)[out.pos++] = TAB;
    putDecimal(out, n);
    out.reserve(1)[out.pos++] = NEWLINE;
    if (out.maybeFlush) out.maybeFlush();
  }
}
