/**
 * Skipped-line bookkeeping shared by the reducers: a counter per reason, a few
 * example warnings, and --strict, which turns the first bad line into a failure.
 */
import { Counters } from '../io/counters';
import { excerpt } from './views';

export class StrictModeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StrictModeError';
  }
}

export const MAX_EXAMPLE_WARNINGS = 5;

export class Skips {
  private warned = 0;
  constructor(
    private readonly counters: Counters,
    private readonly strict: boolean,
    private readonly warn: (message: string) => void,
    private readonly what: string,
    /** Where the lines come from: warnings then read `SOURCE:LINE: bad ...` (compiler style). */
    private readonly source: string | null = null,
  ) {}

  /** Records a skipped line; `lineNo` counts input lines from 1. */
  skip(reason: string, lineNo: number, buf: Uint8Array | null, start = 0, end = 0, detail = reason): void {
    const text = buf ? `: "${excerpt(buf, start, end)}"` : '';
    if (this.strict) throw new StrictModeError(`line ${lineNo}: bad ${this.what} (${detail})${text}`);
    this.counters.add(`skipped_${reason}`);
    if (this.warned < MAX_EXAMPLE_WARNINGS) {
      this.warned++;
      const more = this.warned === MAX_EXAMPLE_WARNINGS ? ' (further bad lines are only counted)' : '';
      const where = this.source === null ? `skipped line ${lineNo}, ` : `${this.source}:${lineNo}: `;
      this.warn(`${where}bad ${this.what} (${detail})${text}${more}`);
    }
  }
}
