/**
 * The result file as a list store: read at start into memory (file-lists.ts:
 * each product's best MAX_N rows as the file's bytes, ranked when asked), with
 * its co-view totals for the home page and an index of ids for the search.
 * Reading is asynchronous, in chunks, so a server reloading a new file keeps
 * answering from the old one meanwhile. A file whose last line has no newline
 * is refused: it is being written, or was cut short.
 */
import * as fs from 'node:fs';
import { ResultRowError } from '../core/rank/result-row';
import { LineSplitter } from '../io/lines';
import { PAIR_LINE_BYTES } from '../io/streaming';
import { FileLists, ResultLoader } from './file-lists';
import { IdIndex } from './id-index';
import { ListStore, MAX_N, Popular, Related } from './store';

export { ResultLoader } from './file-lists';

/** A result line holds two ids, each as long as a view line may be (so every line the job writes). */
export const RESULT_LINE_BYTES = PAIR_LINE_BYTES;
/** Read size: small enough that parsing one chunk never holds requests up long (a reload runs beside them). */
const CHUNK = 1 << 18;

/** What was loaded, for /healthz and the log. */
export type FileFacts = {
  file: string;
  /** The file's modification time when it was read (ISO 8601). */
  mtime: string;
  size: number;
  rows: number;
  products: number;
};

/** Reads `file` into lists of each product's best `keep` rows; yields to the event loop between chunks. */
export async function loadLists(file: string, keep = MAX_N): Promise<{ lists: FileLists; stat: fs.Stats }> {
  const loader = new ResultLoader(keep);
  const lines = new LineSplitter(loader.line, loader.overlong, RESULT_LINE_BYTES);
  const fh = await fs.promises.open(file, 'r');
  try {
    const stat = await fh.stat();
    const chunk = Buffer.allocUnsafe(CHUNK);
    let last = 0x0a;
    for (let { bytesRead } = await fh.read(chunk, 0, CHUNK, null); bytesRead > 0; { bytesRead } = await fh.read(chunk, 0, CHUNK, null)) {
      lines.push(chunk.subarray(0, bytesRead));
      last = chunk[bytesRead - 1];
    }
    if (last !== 0x0a) throw new ResultRowError('the last line has no newline: the file is incomplete (being written, or cut short)');
    lines.end();
    return { lists: loader.finish(), stat };
  } catch (e) {
    if (e instanceof ResultRowError) throw new ResultRowError(`${file} ${e.message}`);
    throw e;
  } finally {
    await fh.close();
  }
}

export class FileStore implements ListStore {
  readonly kind = 'file';
  readonly immutable = true;
  /** Products by co-views, most first (ties by id bytes). */
  private readonly popularOrder: Uint32Array;
  private readonly ids: IdIndex;

  constructor(
    private readonly lists: FileLists,
    readonly loaded: FileFacts,
    ids: IdIndex = new IdIndex(lists.ids),
  ) {
    const { coViews } = lists;
    const names = lists.ids;
    this.popularOrder = new Uint32Array(names.length).map((_, i) => i);
    this.popularOrder.sort((a, b) => coViews[b] - coViews[a] || (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
    this.ids = ids;
  }

  static async load(file: string): Promise<FileStore> {
    const { lists, stat } = await loadLists(file);
    const facts = { file, mtime: stat.mtime.toISOString(), size: stat.size, rows: lists.fileRows, products: lists.size };
    return new FileStore(lists, facts, await IdIndex.build(lists.ids));
  }

  get size(): number {
    return this.lists.size;
  }

  related(product: Buffer, n: number): Promise<Related[] | null> {
    const i = this.lists.index.get(product.toString('latin1'));
    if (i === undefined) return Promise.resolve(null);
    return Promise.resolve(
      this.lists
        .ranked(i)
        .slice(0, n)
        .map((r) => ({ target: Buffer.from(r.target, 'latin1'), count: r.count, score: r.score })),
    );
  }

  popular(k: number): Promise<Popular[]> {
    const { ids, coViews, related } = this.lists;
    const top = [...this.popularOrder.subarray(0, k)];
    return Promise.resolve(top.map((i) => ({ product: Buffer.from(ids[i], 'latin1'), coViews: coViews[i], related: related[i] })));
  }

  findIds(text: Buffer, limit: number): Promise<Buffer[]> {
    const found = this.ids.find(text.toString('latin1'), limit);
    return Promise.resolve(found.map((i) => Buffer.from(this.lists.ids[i], 'latin1')));
  }

  check(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
