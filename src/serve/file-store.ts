/**
 * The result file as a list store: read once at start into memory, each
 * product's best MAX_N rows kept in order (bounded memory however long a
 * list is), with its co-view total for the home page. Rows may come in any
 * order. Ids are held as latin1 strings: one char per byte, so comparing
 * them compares the bytes.
 */
import * as fs from 'node:fs';
import { BestRows, RankKey, ResultLines, ResultRowError, rowOf, sourceOf } from '../core/rank/result-row';
import { LineSplitter } from '../io/lines';
import { ListStore, MAX_N, Popular, Related } from './store';

interface Source {
  /** Best first. */
  rows: readonly RankKey[];
  coViews: number;
  related: number;
}

/** Parses a result file's lines (src/core/rank/result-row.ts) into per-source lists of the best `keep` rows. */
export class ResultLoader {
  private readonly loading = new Map<string, { best: BestRows<RankKey>; coViews: number; related: number }>();
  private readonly lines = new ResultLines();

  constructor(private readonly keep: number) {}

  readonly line = (buf: Buffer, start: number, end: number): void => {
    const span = this.lines.span(buf, start, end);
    if (span === null) return;
    const source = sourceOf(buf, span);
    let s = this.loading.get(source);
    if (s === undefined) {
      s = { best: new BestRows(this.keep), coViews: 0, related: 0 };
      this.loading.set(source, s);
    }
    const { target, count, score } = rowOf(buf, span);
    s.coViews += Number(count);
    s.related++;
    // Only what ranks and is served is kept (not the source nor the score's text).
    s.best.add({ target, count, score });
  };

  readonly overlong = (length: number): void => this.lines.overlong(length);

  /** The lists, once every line is in. */
  finish(): Map<string, Source> {
    const out = new Map<string, Source>();
    for (const [id, s] of this.loading) out.set(id, { rows: s.best.best(), coViews: s.coViews, related: s.related });
    return out;
  }
}

export class FileStore implements ListStore {
  readonly kind = 'file';
  readonly immutable = true;
  private readonly popularOrder: Popular[];

  private constructor(private readonly sources: Map<string, Source>) {
    this.popularOrder = [...sources.entries()]
      .map(([id, s]) => ({ id, s }))
      .sort((a, b) => b.s.coViews - a.s.coViews || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(({ id, s }) => ({ product: Buffer.from(id, 'latin1'), coViews: s.coViews, related: s.related }));
  }

  static load(file: string): FileStore {
    const loader = new ResultLoader(MAX_N);
    const lines = new LineSplitter(loader.line, loader.overlong);
    const fd = fs.openSync(file, 'r');
    const chunk = Buffer.allocUnsafe(1 << 16);
    try {
      for (let n = fs.readSync(fd, chunk); n > 0; n = fs.readSync(fd, chunk)) lines.push(chunk.subarray(0, n));
      lines.end();
    } catch (e) {
      if (e instanceof ResultRowError) throw new ResultRowError(`${file} ${e.message}`);
      throw e;
    } finally {
      fs.closeSync(fd);
    }
    return new FileStore(loader.finish());
  }

  get size(): number {
    return this.sources.size;
  }

  related(product: Buffer, n: number): Promise<Related[] | null> {
    const s = this.sources.get(product.toString('latin1'));
    if (s === undefined) return Promise.resolve(null);
    return Promise.resolve(
      s.rows.slice(0, n).map((r) => ({ target: Buffer.from(r.target, 'latin1'), count: r.count, score: r.score })),
    );
  }

  popular(k: number): Promise<Popular[]> {
    return Promise.resolve(this.popularOrder.slice(0, k));
  }

  findIds(text: Buffer, limit: number): Promise<Buffer[]> {
    const needle = text.toString('latin1').toLowerCase();
    const found: Buffer[] = [];
    for (const id of this.sources.keys()) {
      if (found.length >= limit) break;
      if (id.toLowerCase().includes(needle)) found.push(Buffer.from(id, 'latin1'));
    }
    return Promise.resolve(found);
  }

  check(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
