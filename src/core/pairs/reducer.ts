/**
 * Phase 1's reducer (PairsReducer): from the views of each path (lines grouped
 * by path id) to weighted ordered pairs of its distinct products. It groups
 * lines into paths, drops duplicate views and paths over the cap, and holds
 * each kept path in a block (path-block.ts) whose pairs are counted and
 * written as one sorted run (co-counts.ts) when the block or the id table is
 * full, and at the end; with --no-combine, or a path larger than the whole
 * block, its pairs go to the raw emitter. It keeps the counters. Pure with respect to I/O:
 * lines come in as byte ranges, output goes to a ByteSink. Combining in the
 * reducer is safe because phase 2 adds partial sums up, so the result does not
 * depend on when blocks are written.
 */
import { Counters } from '../../io/counters';
import { KeyBuffer } from '../key';
import { Skips } from '../skips';
import { classifyView, ViewFields, VIEW_SKIP_REASONS } from '../views';
import { CoCounts } from './co-counts';
import { IdTable } from './id-table';
import { blockSizes, DEFAULT_PAIRS_OPTIONS, PairsOptions, pairsOptionsProblem } from './options';
import { ReducerSink } from '../../io/sink';
import { PairLines } from './pair-lines';
import { PathBlock } from './path-block';
import { RawEmitter } from './raw-emitter';
import { SupportCounts } from './support-counts';

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

export class PairsReducer {
  private readonly opts: PairsOptions;
  private readonly ids = new IdTable();
  private readonly held: PathBlock | null;
  private readonly maxIds: number;
  private readonly skips: Skips;
  private readonly f: ViewFields = { pathStart: 0, pathEnd: 0, productStart: 0, productEnd: 0 };
  private readonly key = new KeyBuffer();
  private pathSeq = 0;
  private pathIds: Int32Array = new Int32Array(1024);
  private pathLen = 0;
  private pathCapped = false;
  private readonly lines: PairLines;
  private readonly raw: RawEmitter;
  private readonly counts: CoCounts | null;
  private readonly supports: SupportCounts | null;
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
    const sizes = blockSizes(this.opts);
    this.maxIds = sizes.ids;
    this.held = this.opts.combine ? new PathBlock(sizes.views) : null;
    this.lines = new PairLines(out, this.ids);
    this.raw = new RawEmitter(this.ids, this.lines);
    this.counts = this.held !== null ? new CoCounts(this.ids, this.lines) : null;
    this.skips = new Skips(counters, this.opts.strict, warn, 'view');
    this.supports = this.opts.supports ? new SupportCounts(out, this.ids) : null;
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

  /** End of input: the last path, the held block, the counters. */
  end(): void {
    this.finishPath();
    this.flushTable();
    if (this.supports !== null) this.supports.end();
    const c = this.counters;
    const s = this.sum;
    c.add('views_in', s.views);
    c.add('duplicate_views', s.dups);
    c.add('paths', s.paths);
    c.add('capped_paths', s.capped);
    c.add('pairs', s.pairs);
    c.add('pair_rows_out', this.lines.rows);
  }

  private finishPath(): void {
    if (this.key.length < 0) return;
    const k = this.pathLen;
    this.sum.paths++;
    if (this.pathCapped) this.sum.capped++;
    else {
      if (k >= 2) this.emitPath(k);
      if (this.supports !== null) this.supports.path(this.pathIds, k);
    }
    this.pathLen = 0;
    this.pathCapped = false;
    if (++this.pathSeq === 0x7fffffff) {
      // seenIn holds Int32 path numbers: start over before they would wrap.
      this.ids.seenIn.fill(-1);
      this.pathSeq = 0;
    }
    // Before the next path's new ids (at most the cap + 1: the one that caps it) could pass the limit, where the id arrays would double.
    if (this.ids.size + this.opts.maxPathProducts + 1 > this.maxIds) {
      this.flushTable();
      if (this.supports !== null) this.supports.flushIds();
      this.ids.reset();
      if (this.counts !== null) this.counts.idsReset();
    }
  }

  private emitPath(k: number): void {
    this.sum.pairs += k * (k - 1);
    const held = this.held;
    // Raw weight-1 pairs: requested, or one path larger than the whole block.
    if (held === null || k > held.capacity) {
      this.raw.emit(this.pathIds, k);
      return;
    }
    if (!held.fits(k)) this.flushTable();
    held.add(this.pathIds, k);
  }

  /** Counts and writes the held paths' pairs (if combining). */
  private flushTable(): void {
    if (this.held !== null && this.counts !== null) this.counts.flush(this.held);
  }
}
