/**
 * Phase-2 row rules: a pair row is `source<TAB>target<TAB>count`, two non-empty
 * different ids and a decimal count above zero, after dropping one trailing '\r'.
 */
import { sameBytes } from '../key';
import { TAB, trimCr } from '../views';
import { MAX_SAFE_DIGITS } from './tally';

export type PairRowVerdict = 'ok' | 'wrong_field_count' | 'empty_field' | 'bad_count' | 'self_pair';

export interface PairRowFields {
  /** End of the key `source<TAB>target`. */
  keyEnd: number;
  countStart: number;
  countEnd: number;
}

/** Classifies a pair row [start, end) (no '\n'); fills `f` when 'ok'. */
export function classifyPairRow(buf: Uint8Array, start: number, end: number, f: PairRowFields): PairRowVerdict {
  end = trimCr(buf, start, end);
  let t1 = -1;
  let t2 = -1;
  for (let i = start; i < end; i++) {
    if (buf[i] === TAB) {
      if (t1 === -1) t1 = i;
      else if (t2 === -1) t2 = i;
      else return 'wrong_field_count';
    }
  }
  if (t2 === -1) return 'wrong_field_count';
  if (t1 === start || t2 === t1 + 1 || t2 + 1 === end) return 'empty_field';
  let nonZero = false;
  for (let i = t2 + 1; i < end; i++) {
    const c = buf[i];
    if (c < 0x30 || c > 0x39) return 'bad_count';
    if (c !== 0x30) nonZero = true;
  }
  if (!nonZero) return 'bad_count';
  if (t1 - start === t2 - t1 - 1 && sameBytes(buf, start, buf, t1 + 1, t1 - start)) return 'self_pair';
  f.keyEnd = t2;
  f.countStart = t2 + 1;
  f.countEnd = end;
  return 'ok';
}

/**
 * The common row, as the block scan found it: ids [ls, t1) and (t1, t2) (t2 -1
 * when the line has no TAB), then `digits` count digits of value v, nothing else.
 * Rows failing this go through classifyPairRow, which owns the verdicts.
 */
export function isCommonRow(buf: Uint8Array, ls: number, t1: number, t2: number, digits: number, v: number): boolean {
  return t2 !== -1 && t1 !== ls && t2 !== t1 + 1 && digits >= 1 && digits <= MAX_SAFE_DIGITS && v !== 0 && !(t1 - ls === t2 - t1 - 1 && sameBytes(buf, ls, buf, t1 + 1, t1 - ls));
}
