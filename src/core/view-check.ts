/**
 * Phase 1's mapper in views mode (identity-mapper --views): each input line
 * that is not certainly a view (see mapBlock with views) is classified here with the
 * rules of views.ts. Views go out as they came; the header is counted and
 * dropped; any other line is dropped, counted as skipped_<reason> and warned
 * about with the input file and its line number, quoted as read. The reducer
 * then only sees views, so the counts are the same totals as before, taken
 * where the file and line are still known.
 */
import { Counters } from '../io/counters';
import { ByteSink } from '../io/sink';
import { mapLine } from './mapper';
import { Skips } from './skips';
import { classifyOrderedView, OrderedViewFields, OrderedViewVerdict } from './order';
import { TAB, VIEW_SKIP_REASONS } from './views';

/** What a skipped line's warning says, in words a user knows. */
function detail(verdict: Exclude<OrderedViewVerdict, 'ok' | 'header'>, buf: Uint8Array, start: number, end: number): string {
  if (verdict === 'bad_order') return 'order not a number';
  if (verdict === 'empty_field') return 'empty field';
  if (verdict === 'null_id') return 'NULL id';
  return buf.subarray(start, end).includes(TAB) ? 'more than one TAB' : 'no TAB';
}

/**
 * The warnings' source: the task's input file as Hadoop Streaming names it
 * (the local runner sets the same variable), and where its split starts when
 * not at the file's start (line numbers count from there); `stdin` in a plain pipe.
 */
export function inputSource(env: Record<string, string | undefined>): string {
  const file = env.mapreduce_map_input_file || env.map_input_file || 'stdin';
  const start = env.mapreduce_map_input_start ?? '0';
  return /^0*$/.test(start) ? file : `${file} (split from byte ${start})`;
}

export class ViewCheck {
  private readonly skips: Skips;
  private readonly f: OrderedViewFields = { pathStart: 0, pathEnd: 0, productStart: 0, productEnd: 0, orderStart: -1, orderEnd: -1 };

  /**
   * ordered (--score proximity): views must have the order column and pass whole; a
   * two-column line is skipped (missing_order), a third field that is not a number too
   * (bad_order). Otherwise a view's order, if it is a number, is dropped.
   */
  constructor(
    private readonly out: ByteSink,
    private readonly counters: Counters,
    warn: (message: string) => void,
    source: string,
    private readonly ordered = false,
  ) {
    counters.add('header_lines', 0);
    for (const reason of VIEW_SKIP_REASONS) counters.add(`skipped_${reason}`, 0);
    this.skips = new Skips(counters, false, warn, 'view', source);
  }

  /** Line bytes [start, end) (no '\n'), line lineNo of the input. */
  line(buf: Uint8Array, start: number, end: number, lineNo: number): void {
    const f = this.f;
    let verdict = classifyOrderedView(buf, start, end, f);
    // Without proximity a third field that is no order is what it always was: one field too many.
    if (verdict === 'bad_order' && !this.ordered) verdict = 'wrong_field_count';
    if (verdict === 'ok') {
      if (f.orderStart < 0 && this.ordered) this.skips.skip('missing_order', lineNo, buf, start, end, 'no order column: --score proximity needs path_id<TAB>product_id<TAB>order');
      else mapLine(this.out, buf, start, f.orderStart < 0 || this.ordered ? end : f.productEnd);
    } else if (verdict === 'header') this.counters.add('header_lines');
    else this.skips.skip(verdict, lineNo, buf, start, end, detail(verdict, buf, start, end));
  }

  /** A line over the length limit (its bytes are not kept). */
  tooLong(lineNo: number): void {
    this.skips.skip('too_long', lineNo, null, 0, 0, 'too long');
  }
}
