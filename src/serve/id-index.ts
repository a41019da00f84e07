/**
 * The file store's search: which ids contain a text, any case (latin1
 * `toLowerCase`, one char per byte as ids are held). Built once at load: for
 * every 1-, 2- and 3-byte gram of the lowercased ids, the ids holding it, in
 * id order. A query reads the shortest posting list among its grams and checks
 * only those candidates, so no request scans every id.
 */

const MAX_GRAM = 3;

/** A gram's key: its length and bytes in one number (2 + 24 bits). */
function gramKey(s: string, at: number, len: number): number {
  let k = len;
  for (let i = 0; i < len; i++) k = k * 256 + (s.charCodeAt(at + i) & 0xff);
  return k;
}

export class IdIndex {
  private readonly postings = new Map<number, Uint32Array>();
  private readonly lower: string[];

  /** ids: latin1 strings; answers are their positions. */
  constructor(ids: readonly string[]) {
    this.lower = ids.map((id) => id.toLowerCase());
    const counts = new Map<number, number>();
    this.countGrams(counts, 0, ids.length);
    const filling = IdIndex.lists(counts);
    this.fillGrams(filling, 0, ids.length);
    this.keep(filling);
  }

  /** The same index, built in slices with the event loop free between them (a server reloading keeps answering). */
  static async build(ids: readonly string[], slice = 20_000): Promise<IdIndex> {
    const index = new IdIndex([]);
    index.lower.push(...ids.map((id) => id.toLowerCase()));
    const counts = new Map<number, number>();
    for (let i = 0; i < ids.length; i += slice) {
      index.countGrams(counts, i, Math.min(ids.length, i + slice));
      await new Promise<void>((r) => setImmediate(r));
    }
    const filling = IdIndex.lists(counts);
    for (let i = 0; i < ids.length; i += slice) {
      index.fillGrams(filling, i, Math.min(ids.length, i + slice));
      await new Promise<void>((r) => setImmediate(r));
    }
    index.keep(filling);
    return index;
  }

  // Two passes: count each gram's ids, then fill exact-size arrays (no growing lists per gram).
  private countGrams(counts: Map<number, number>, from: number, to: number): void {
    this.eachGram(from, to, (key) => counts.set(key, (counts.get(key) ?? 0) + 1));
  }

  private static lists(counts: Map<number, number>): Map<number, { list: Uint32Array; at: number }> {
    const filling = new Map<number, { list: Uint32Array; at: number }>();
    for (const [key, n] of counts) filling.set(key, { list: new Uint32Array(n), at: 0 });
    return filling;
  }

  private fillGrams(filling: Map<number, { list: Uint32Array; at: number }>, from: number, to: number): void {
    this.eachGram(from, to, (key, id) => {
      const f = filling.get(key);
      if (f !== undefined) f.list[f.at++] = id;
    });
  }

  private keep(filling: Map<number, { list: Uint32Array; at: number }>): void {
    for (const [key, f] of filling) this.postings.set(key, f.list);
  }

  /** Each distinct gram of each id in [from, to) once, ids in order. */
  private eachGram(from: number, to: number, f: (key: number, id: number) => void): void {
    const seen = new Set<number>();
    for (let id = from; id < to; id++) {
      const s = this.lower[id];
      seen.clear();
      for (let len = 1; len <= MAX_GRAM; len++) {
        for (let at = 0; at + len <= s.length; at++) {
          const key = gramKey(s, at, len);
          if (seen.has(key)) continue;
          seen.add(key);
          f(key, id);
        }
      }
    }
  }

  /** Positions of the ids containing `text` (latin1), any case, in id order, at most `limit`. */
  find(text: string, limit: number): number[] {
    const needle = text.toLowerCase();
    if (needle === '') return this.lower.slice(0, limit).map((_, i) => i);
    const len = Math.min(MAX_GRAM, needle.length);
    let best: Uint32Array | undefined;
    for (let at = 0; at + len <= needle.length; at++) {
      const list = this.postings.get(gramKey(needle, at, len));
      if (list === undefined) return [];
      if (best === undefined || list.length < best.length) best = list;
    }
    const out: number[] = [];
    for (const id of best ?? []) {
      if (out.length >= limit) break;
      if (len === needle.length || this.lower[id].includes(needle)) out.push(id);
    }
    return out;
  }
}
