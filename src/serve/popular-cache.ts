/**
 * The home page's most co-viewed products from MySQL, a whole-table
 * aggregate: computed by at most one scan at a time (single flight), reused
 * for POPULAR_TTL_MS, and once stale still answered at once while one
 * background scan refreshes it. Only a cold cache makes a caller wait (for
 * the one scan in flight); a failed refresh keeps the stale copy.
 */
import { Popular } from './store';

/** How long a computed copy is fresh. */
export const POPULAR_TTL_MS = 5 * 60_000;
/** Products computed per scan, however few are asked (so a larger k later needs no second scan). */
const KEEP = 100;

export class PopularCache {
  private cached: { at: number; k: number; rows: Popular[] } | null = null;
  private inFlight: { k: number; done: Promise<Popular[]> } | null = null;
  /** Scans started, for tests and logs. */
  scans = 0;
  lastError: unknown = null;

  constructor(
    private readonly scan: (k: number) => Promise<Popular[]>,
    private readonly now: () => number = Date.now,
  ) {}

  async get(k: number): Promise<Popular[]> {
    const c = this.cached;
    if (c !== null && c.k >= k) {
      if (this.now() - c.at >= POPULAR_TTL_MS) this.refresh(k).catch(() => undefined);
      return c.rows.slice(0, k);
    }
    const flight = this.inFlight !== null && this.inFlight.k >= k ? this.inFlight.done : this.refresh(k);
    return (await flight).slice(0, k);
  }

  /** Starts a scan unless one is running (then that one's result). */
  private refresh(k: number): Promise<Popular[]> {
    if (this.inFlight !== null) return this.inFlight.done;
    const want = Math.max(k, KEEP);
    this.scans++;
    const done = this.scan(want).then(
      (rows) => {
        this.cached = { at: this.now(), k: want, rows };
        this.lastError = null;
        return rows;
      },
      (e: unknown) => {
        this.lastError = e;
        throw e;
      },
    );
    this.inFlight = { k: want, done };
    const clear = (): void => {
      this.inFlight = null;
    };
    done.then(clear, clear);
    return done;
  }
}
