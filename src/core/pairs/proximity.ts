/**
 * Phase 1's reducer for --score proximity (ProximityReducer): the views of each
 * path (lines `path<TAB>product<TAB>order` grouped by path) put in order (the
 * order number, ties by product id bytes; the shuffle groups by path only, so
 * the path is ordered here), consecutive repeats of a product dropped, then the
 * path's sequence held in a block whose pairs are counted with their
 * proximity weights (proximity-counts.ts). Paths over the cap are skipped whole,
 * as for every score. Counters as PairsReducer's.
 */
import { Counters } from '../../io/counters';
import { KeyBuffer } from '../key';
import { compareOrderText, classifyOrderedView, OrderedViewFields, orderValue } from '../order';
import { Skips } from '../skips';
import { ReducerSink } from '../../io/sink';
import { IdTable } from './id-table';
import { blockSizes, DEFAULT_PAIRS_OPTIONS, PairsOptions, pairsOptionsProblem, PROXIMITY_BYTES_PER_VIEW } from './options';
import { PathBlock } from './path-block';
import { PAIRS_COUNTERS } from './reducer';
import { MAX_BLOCK_PATHS, ProximityCounts } from './proximity-counts';

/** Paths of at most this many views are ordered by an insertion sort. */
const SMALL_PATH = 32;

export class ProximityReducer {
  private readonly opts: PairsOptions;
  private readonly ids = new IdTable();
  private readonly held: PathBlock;
  private readonly maxIds: number;
  private readonly skips: Skips;
  private readonly f: OrderedViewFields = { pathStart: 0, pathEnd: 0, productStart: 0, productEnd: 0, orderStart: -1, orderEnd: -1 };
  private readonly key = new KeyBuffer();
  private readonly counts: ProximityCounts;
  /** The current path's views: product id, order value, order bytes in `orderText`. */
  private vid = new Int32Array(1024);
  private vord = new Float64Array(1024);
  private vtext = new Int32Array(1025);
  private orderText: Buffer = Buffer.allocUnsafe(1 << 14);
  private nViews = 0;
  private perm = new Int32Array(1024);
  private seq = new Int32Array(1024);
  private pathSeq = 0;
  private lineNo = 0;
  private readonly sum = { pairs: 0, views: 0, dups: 0, paths: 0, capped: 0 };

  constructor(
    out: ReducerSink,
    private readonly counters: Counters,
    options: Partial<PairsOptions> = {},
    warn: (message: string) => void = () => undefined,
  ) {
    this.opts = { ...DEFAULT_PAIRS_OPTIONS, ...options };
    const problem = pairsOptionsProblem(this.opts);
    if (problem !== null) throw new RangeError(problem);
    for (const c of PAIRS_COUNTERS) counters.add(c, 0);
    const sizes = blockSizes(this.opts, PROXIMITY_BYTES_PER_VIEW);
    this.maxIds = sizes.ids;
    this.held = new PathBlock(sizes.views);
    this.counts = new ProximityCounts(out, this.ids);
    this.skips = new Skips(counters, this.opts.strict, warn, 'view');
  }

  /** One input line, bytes [start, end) without its '\n'. */
  line(buf: Buffer, start: number, end: number): void {
    this.lineNo++;
    const f = this.f;
    const verdict = classifyOrderedView(buf, start, end, f);
    if (verdict !== 'ok') {
      if (verdict === 'header') this.counters.add('header_lines');
      else this.skips.skip(verdict, this.lineNo, buf, start, end);
      return;
    }
    if (f.orderStart < 0) {
      this.skips.skip('missing_order', this.lineNo, buf, start, end);
      return;
    }
    this.sum.views++;
    if (!this.key.equals(buf, f.pathStart, f.pathEnd)) {
      this.finishPath();
      this.key.set(buf, f.pathStart, f.pathEnd);
    }
    this.addView(this.ids.intern(buf, f.productStart, f.productEnd), buf, f.orderStart, f.orderEnd);
  }

  /** A line over the reader's length limit: skipped and counted. */
  overlong(length: number): void {
    this.lineNo++;
    this.skips.skip('too_long', this.lineNo, null);
    void length;
  }

  /** End of input: the last path, the held block, the counters. */
  end(): void {
    this.finishPath();
    this.counts.flush(this.held);
    const c = this.counters;
    const s = this.sum;
    c.add('views_in', s.views);
    c.add('duplicate_views', s.dups);
    c.add('paths', s.paths);
    c.add('capped_paths', s.capped);
    c.add('pairs', s.pairs);
    c.add('pair_rows_out', this.counts.rows);
  }

  private addView(id: number, buf: Buffer, os: number, oe: number): void {
    const n = this.nViews;
    if (n === this.vid.length) this.growViews();
    this.vid[n] = id;
    this.vord[n] = orderValue(buf, os, oe);
    const at = this.vtext[n];
    const len = oe - os;
    if (at + len > this.orderText.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.orderText.length * 2, at + len));
      this.orderText.copy(grown, 0, 0, at);
      this.orderText = grown;
    }
    for (let i = 0; i < len; i++) this.orderText[at + i] = buf[os + i];
    this.vtext[n + 1] = at + len;
    this.nViews = n + 1;
  }

  private growViews(): void {
    const size = this.vid.length * 2;
    const vid = new Int32Array(size);
    vid.set(this.vid);
    this.vid = vid;
    const vord = new Float64Array(size);
    vord.set(this.vord);
    this.vord = vord;
    const vtext = new Int32Array(size + 1);
    vtext.set(this.vtext);
    this.vtext = vtext;
    this.perm = new Int32Array(size);
    this.seq = new Int32Array(size);
  }

  /** View x before view y: order, then the exact order text, then product bytes. */
  private readonly before = (x: number, y: number): number => {
    const d = this.vord[x] - this.vord[y];
    if (d !== 0) return d;
    const t = this.orderText;
    const vt = this.vtext;
    const exact = compareOrderText(t.toString('latin1', vt[x], vt[x + 1]), t.toString('latin1', vt[y], vt[y + 1]));
    if (exact !== 0) return exact;
    return this.compareIdBytes(this.vid[x], this.vid[y]);
  };

  /** Plain byte order of two ids (a prefix first). */
  private compareIdBytes(x: number, y: number): number {
    if (x === y) return 0;
    const ids = this.ids;
    const a = ids.arena;
    const xo = ids.offsets[x];
    const yo = ids.offsets[y];
    const xn = ids.lengths[x];
    const yn = ids.lengths[y];
    const n = xn < yn ? xn : yn;
    for (let i = 0; i < n; i++) {
      const d = a[xo + i] - a[yo + i];
      if (d !== 0) return d;
    }
    return xn - yn;
  }

  private finishPath(): void {
    if (this.key.length < 0) return;
    const n = this.nViews;
    this.nViews = 0;
    this.sum.paths++;
    const perm = this.perm;
    for (let i = 0; i < n; i++) perm[i] = i;
    if (n > SMALL_PATH) perm.subarray(0, n).sort(this.before);
    else {
      // Most paths are short: an insertion sort on the order values, the full comparison on ties only.
      const vord = this.vord;
      for (let i = 1; i < n; i++) {
        const x = perm[i];
        const o = vord[x];
        let j = i - 1;
        while (j >= 0 && (vord[perm[j]] > o || (vord[perm[j]] === o && this.before(perm[j], x) > 0))) {
          perm[j + 1] = perm[j];
          j--;
        }
        perm[j + 1] = x;
      }
    }
    // The sequence without consecutive repeats; distinct products counted with seenIn.
    const ids = this.ids;
    const seq = this.seq;
    const stamp = this.pathSeq;
    let len = 0;
    let distinct = 0;
    for (let i = 0; i < n; i++) {
      const id = this.vid[perm[i]];
      if (ids.seenIn[id] !== stamp) {
        ids.seenIn[id] = stamp;
        distinct++;
      }
      if (len === 0 || seq[len - 1] !== id) seq[len++] = id;
    }
    this.sum.dups += n - distinct;
    const cap = this.opts.maxPathProducts;
    if (cap > 0 && distinct > cap) this.sum.capped++;
    else if (distinct >= 2) {
      this.sum.pairs += distinct * (distinct - 1);
      this.hold(seq, len);
    }
    if (++this.pathSeq === 0x7fffffff) {
      ids.seenIn.fill(-1);
      this.pathSeq = 0;
    }
    if (ids.size + this.opts.maxPathProducts + 1 > this.maxIds) {
      this.counts.flush(this.held);
      ids.reset();
      this.counts.idsReset();
    }
  }

  /** Holds a path's sequence, writing the block first when it is full. */
  private hold(seq: Int32Array, len: number): void {
    const held = this.held;
    if (!held.fits(len) || held.paths >= MAX_BLOCK_PATHS) this.counts.flush(held);
    if (len > held.capacity) {
      // One path larger than the whole block: a block of its own.
      const own = new PathBlock(len);
      own.add(seq, len);
      this.counts.flush(own);
      return;
    }
    held.add(seq, len);
  }
}
