/**
 * The result file as a list store: read once at start into memory, each
 * product's best MAX_N rows kept in order (bounded memory however long a
 * list is), with its co-view total for the home page. Rows may come in any
 * order. Ids are held as latin1 strings: one char per byte, so comparing
 * them compares the bytes.
 */
import * as fs from 'node:fs';
import { LineSplitter } from '../io/lines';
import { ListStore, MAX_N, Popular, Related } from './store';

interface Row {
  target: string;
  count: string;
  score: number | null;
}

interface Source {
  rows: Row[];
  coViews: number;
  related: number;
}

const DIGITS = /^[0-9]+$/;
const DECIMAL = /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

function compareCountText(a: string, b: string): number {
  const x = a.replace(/^0+(?=.)/, '');
  const y = b.replace(/^0+(?=.)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Best first: score desc (count when none), count desc, target bytes asc. */
export function compareRows(x: Row, y: Row): number {
  if (x.score !== null && y.score !== null && x.score !== y.score) return y.score < x.score ? -1 : 1;
  const byCount = compareCountText(y.count, x.count);
  if (byCount !== 0) return byCount;
  return x.target < y.target ? -1 : x.target > y.target ? 1 : 0;
}

export class ResultFileError extends Error {}

/** Parses `source<TAB>target<TAB>count[<TAB>score]` lines into per-source lists. */
export class ResultLoader {
  readonly sources = new Map<string, Source>();
  private lineNo = 0;
  private columns = 0;

  constructor(private readonly keep: number) {}

  readonly line = (buf: Buffer, start: number, end: number): void => {
    this.lineNo++;
    if (end > start && buf[end - 1] === 0x0d) end--;
    if (end === start) return;
    const fields = buf.toString('latin1', start, end).split('\t');
    const [source, target, count, scoreText] = fields;
    const ok = (fields.length === 3 || fields.length === 4) && source !== '' && target !== '' && DIGITS.test(count);
    const score = scoreText === undefined ? null : DECIMAL.test(scoreText) ? Number(scoreText) : NaN;
    if (!ok || (score !== null && !Number.isFinite(score))) this.bad(fields.join('\t'));
    if (this.columns === 0) this.columns = fields.length;
    else if (fields.length !== this.columns) this.bad(fields.join('\t'), ` (${this.columns} columns before)`);
    let s = this.sources.get(source);
    if (s === undefined) {
      s = { rows: [], coViews: 0, related: 0 };
      this.sources.set(source, s);
    }
    s.coViews += Number(count);
    s.related++;
    s.rows.push({ target, count, score });
    // Trimmed now and then, so a long list keeps only a few times `keep` rows.
    if (s.rows.length > this.keep * 4 + 64) s.rows = s.rows.sort(compareRows).slice(0, this.keep);
  };

  readonly overlong = (length: number): void => {
    this.lineNo++;
    throw new ResultFileError(`line ${this.lineNo}: ${length} bytes long, not a result row`);
  };

  finish(): void {
    for (const s of this.sources.values()) s.rows = s.rows.sort(compareRows).slice(0, this.keep);
  }

  private bad(line: string, why = ''): never {
    const shown = line.length > 80 ? `${line.slice(0, 80)}...` : line;
    throw new ResultFileError(
      `line ${this.lineNo} is not a result row (source<TAB>target<TAB>count[<TAB>score])${why}: ${JSON.stringify(shown)}`,
    );
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
      if (e instanceof ResultFileError) throw new ResultFileError(`${file} ${e.message}`);
      throw e;
    } finally {
      fs.closeSync(fd);
    }
    loader.finish();
    return new FileStore(loader.sources);
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
