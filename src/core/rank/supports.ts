/**
 * The supports: n(a), the kept paths holding product a, and N, the kept paths.
 * Phase 1's reducer (with --supports) writes them as diagonal rows of the
 * co-occurrence matrix, `a<TAB>a<TAB>n` per product and `<TAB><TAB>N` (the
 * empty id, which no view has) for the paths; the supports phase sums them
 * into one file (supports.tsv, same rows) that the scoring reducers get as
 * side data (Hadoop's -files).
 */
import { TAB } from '../views';

export interface Supports {
  /** id bytes (latin1, one char per byte) -> n(id) */
  byId: Map<string, number>;
  /** N, the kept paths */
  total: number;
}

/** A diagonal row [start, end) (no '\n'): its id's bounds and count, or null when it is not one. */
export function diagonalRow(buf: Uint8Array, start: number, end: number): { idEnd: number; count: number } | null {
  const t1 = buf.indexOf(TAB, start);
  if (t1 < 0 || t1 >= end) return null;
  const t2 = buf.indexOf(TAB, t1 + 1);
  if (t2 < 0 || t2 >= end) return null;
  const n = t1 - start;
  if (t2 - t1 - 1 !== n) return null;
  for (let i = 0; i < n; i++) if (buf[start + i] !== buf[t1 + 1 + i]) return null;
  if (t2 + 1 === end || end - t2 - 1 > 15) return null;
  let count = 0;
  for (let i = t2 + 1; i < end; i++) {
    const c = buf[i];
    if (c < 0x30 || c > 0x39) return null;
    count = count * 10 + (c - 0x30);
  }
  return { idEnd: t1, count };
}

/** Whether line [start, end) is a diagonal row's shape: its first two fields are the same bytes. */
export function isDiagonal(buf: Uint8Array, start: number, end: number): boolean {
  const t1 = buf.indexOf(TAB, start);
  if (t1 < 0 || t1 >= end) return false;
  const n = t1 - start;
  const t2 = t1 + 1 + n;
  if (t2 >= end || buf[t2] !== TAB) return false;
  for (let i = 0; i < n; i++) if (buf[start + i] !== buf[t1 + 1 + i]) return false;
  return true;
}

/** Reads a supports file's text (bytes); throws with the line number on a bad row. */
export function parseSupports(bytes: Buffer, name: string): Supports {
  const byId = new Map<string, number>();
  let total = -1;
  let start = 0;
  let lineNo = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    lineNo++;
    const row = diagonalRow(bytes, start, end);
    if (row === null) throw new Error(`${name}:${lineNo}: not a supports row (id<TAB>id<TAB>count)`);
    const id = bytes.toString('latin1', start, row.idEnd);
    if (id === '') total = (total < 0 ? 0 : total) + row.count;
    else byId.set(id, (byId.get(id) ?? 0) + row.count);
    start = end + 1;
  }
  if (total < 0) throw new Error(`${name}: no row for the number of paths (<TAB><TAB>N)`);
  return { byId, total };
}
