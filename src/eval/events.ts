/**
 * The test events: each test path's views in time order (ties keep input
 * order), consecutive repeats of a product removed; for each i >= 1 the query
 * is product i-1 and the target product i. A path over the job's cap of
 * distinct products is skipped whole, as the job skips it.
 */

/** One test path's views in input order. */
export interface PathViews {
  times: number[];
  products: string[];
}

export interface Events {
  queries: string[];
  targets: string[];
  /** Test paths skipped for having more distinct products than the cap. */
  cappedPaths: number;
}

/** A path's products in time order (a stable sort), consecutive repeats removed. */
export function viewSequence(v: PathViews): string[] {
  const order = v.times.map((_, i) => i).sort((a, b) => v.times[a] - v.times[b] || a - b);
  const seq: string[] = [];
  for (const i of order) if (seq.length === 0 || seq[seq.length - 1] !== v.products[i]) seq.push(v.products[i]);
  return seq;
}

/** Every test path's events; maxPathProducts 0 = no cap. */
export function buildEvents(paths: Iterable<PathViews>, maxPathProducts: number): Events {
  const ev: Events = { queries: [], targets: [], cappedPaths: 0 };
  for (const v of paths) {
    if (maxPathProducts > 0 && new Set(v.products).size > maxPathProducts) {
      ev.cappedPaths++;
      continue;
    }
    const seq = viewSequence(v);
    for (let i = 1; i < seq.length; i++) {
      ev.queries.push(seq[i - 1]);
      ev.targets.push(seq[i]);
    }
  }
  return ev;
}
