/**
 * The metrics of one list source over the test events: HR@K (share of events
 * whose target is in the query's top K), MRR@K (mean of 1/rank, 0 when
 * absent), coverage (share of training products with a non-empty list) and
 * popularity (per event with a non-empty list, the mean share of training
 * paths that viewed each listed product; averaged over those events), plus
 * HR@k for every k up to the lists' length, for the chart.
 */

export interface Metrics {
  name: string;
  events: number;
  hr: number;
  mrr: number;
  coverage: number;
  popularity: number;
  /** hrAt[k - 1] = HR@k, k = 1 .. the lists' length. */
  hrAt: number[];
  /** Per event, the target's 1-based rank in the query's list (up to the lists' length), 0 when absent: for the bootstrap. */
  ranks: Int32Array;
}

/** 1-based rank of target in list, 0 when absent. */
export function rankOf(list: readonly string[], target: string): number {
  return list.indexOf(target) + 1;
}

export interface MetricInput {
  name: string;
  queries: readonly string[];
  targets: readonly string[];
  /** A query's list, best first, at least `depth` long when it has that many. */
  listOf: (query: string) => readonly string[];
  k: number;
  /** Length of the HR@k curve (>= k). */
  depth: number;
  /** Training paths that viewed a product. */
  pathsOf: (product: string) => number;
  trainingPaths: number;
  trainingProducts: number;
  listedProducts: number;
}

export function computeMetrics(m: MetricInput): Metrics {
  const n = m.queries.length;
  const hitsAt = new Array<number>(m.depth).fill(0);
  let hits = 0;
  let rr = 0;
  let popSum = 0;
  let popEvents = 0;
  const ranks = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const list = m.listOf(m.queries[i]);
    const rank = rankOf(list.slice(0, m.depth), m.targets[i]);
    ranks[i] = rank;
    if (rank > 0) hitsAt[rank - 1]++;
    if (rank > 0 && rank <= m.k) {
      hits++;
      rr += 1 / rank;
    }
    const top = list.slice(0, m.k);
    if (top.length > 0) {
      let s = 0;
      for (const p of top) s += m.pathsOf(p);
      popSum += s / top.length / m.trainingPaths;
      popEvents++;
    }
  }
  const hrAt: number[] = [];
  let cum = 0;
  for (const h of hitsAt) hrAt.push((cum += h) / n);
  return {
    name: m.name,
    events: n,
    hr: hits / n,
    mrr: rr / n,
    coverage: m.trainingProducts === 0 ? 0 : m.listedProducts / m.trainingProducts,
    popularity: popEvents === 0 ? 0 : popSum / popEvents,
    hrAt,
    ranks,
  };
}
