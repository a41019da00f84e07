/**
 * The evaluator's input rules: a view line is `path_id<TAB>product_id<TAB>time`
 * where the first two fields follow the job's rules (views.ts's classifyView:
 * non-empty, not NULL, the `path_id<TAB>product_id` header skipped) and time is
 * a decimal number that orders the views (seconds, milliseconds: any unit).
 */
import { classifyView, TAB, trimCr, ViewFields, ViewVerdict } from '../core/views';

/** The job's verdicts, plus: two fields only (no time column), or a time that is not a number. */
export type TimedVerdict = ViewVerdict | 'no_time' | 'bad_time';

export interface TimedFields extends ViewFields {
  time: number;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Classifies line bytes [start, end) (no '\n'); fills `f` when the verdict is 'ok'. */
export function classifyTimedView(buf: Buffer, start: number, end: number, f: TimedFields): TimedVerdict {
  end = trimCr(buf, start, end);
  const last = buf.lastIndexOf(TAB, end - 1);
  if (last < start) return 'wrong_field_count';
  const first = buf.indexOf(TAB, start);
  if (first === last) {
    // Two fields: a header of the job's own format, or a file without times.
    return classifyView(buf, start, end) === 'header' ? 'header' : 'no_time';
  }
  const verdict = classifyView(buf, start, last, f);
  if (verdict !== 'ok') return verdict;
  if (last + 1 === end) return 'empty_field';
  const text = buf.toString('latin1', last + 1, end);
  if (!NUMBER.test(text)) return 'bad_time';
  f.time = Number(text);
  return Number.isFinite(f.time) ? 'ok' : 'bad_time';
}

/** Fields for classifyTimedView to fill. */
export function timedFields(): TimedFields {
  return { pathStart: 0, pathEnd: 0, productStart: 0, productEnd: 0, time: 0 };
}

const PLAIN = /^-?\d+(\.\d+)?$/;

/**
 * A time as the job's order column wants it (`[-]digits[.digits]`), exactly:
 * the evaluator also reads `+1`, `.5`, `5.` and exponents, which are rewritten
 * digit by digit (never through a double); a plain decimal is kept as written.
 */
export function plainOrder(text: string): string {
  if (PLAIN.test(text)) return text;
  const m = /^([+-]?)(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null || m[2] + m[3] === '') throw new RangeError(`not a number: ${JSON.stringify(text)}`);
  const digits = m[2] + m[3];
  const point = m[2].length + Number(m[4] ?? 0);
  let int: string;
  let frac: string;
  if (point <= 0) [int, frac] = ['0', '0'.repeat(-point) + digits];
  else if (point >= digits.length) [int, frac] = [digits + '0'.repeat(point - digits.length), ''];
  else [int, frac] = [digits.slice(0, point), digits.slice(point)];
  int = int.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  return `${m[1] === '-' ? '-' : ''}${int}${frac === '' ? '' : `.${frac}`}`;
}
