/**
 * evaluate.js --catalog: what the serve-time filters and fallbacks
 * (src/serve/fill.ts, the server's own code) do to a job's lists. Per job
 * score: the share of the catalog's products whose page gets K items from
 * `related` alone (unavailable products and the product left out) and with
 * the fallbacks, and HR@K without and with them, over all test events and
 * over the "cold" ones (the query's own list, filtered, is shorter than K).
 */
import { BestRows, RankKey, ResultLines, rowOf } from '../core/rank/result-row';
import { Catalog } from '../serve/catalog';
import { FallbackIndex } from '../serve/fallback-index';
import { fillList, FillInput, readDepth } from '../serve/fill';
import { MAX_N, Popular } from '../serve/store';
import { eachLine } from './input';

export interface FillMetrics {
  name: string;
  products: number;
  fullRelated: number;
  fullFilled: number;
  hrRelated: number;
  hrFilled: number;
  coldEvents: number;
  hrColdRelated: number;
  hrColdFilled: number;
}

/** A result file's lists (best `keep` of each, as the server reads them) and co-views (the sum of each list's counts). */
export function readResult(file: string, keep: number): { lists: Map<string, string[]>; popular: Popular[] } {
  const rows = new Map<string, { best: BestRows<RankKey>; coViews: number; related: number }>();
  const lines = new ResultLines();
  eachLine(
    file,
    (buf, start, end) => {
      const s = lines.span(buf, start, end);
      if (s === null) return;
      const row = rowOf(buf, s);
      let r = rows.get(row.source);
      if (r === undefined) rows.set(row.source, (r = { best: new BestRows(keep), coViews: 0, related: 0 }));
      r.best.add(row);
      r.coViews += Number(row.count);
      r.related++;
    },
    (n) => lines.overlong(n),
  );
  const lists = new Map<string, string[]>();
  const popular: Popular[] = [];
  for (const [source, r] of rows) {
    lists.set(source, r.best.best().map((x) => x.target));
    popular.push({ product: Buffer.from(source, 'latin1'), coViews: r.coViews, related: r.related });
  }
  // The home page's order: co-views descending, then id bytes.
  popular.sort((a, b) => b.coViews - a.coViews || Buffer.compare(a.product, b.product));
  return { lists, popular };
}

export interface FillEvalInput {
  name: string;
  resultFile: string;
  catalog: Catalog;
  /** Every product a page exists for (the catalog's). */
  products: readonly string[];
  queries: readonly string[];
  targets: readonly string[];
  k: number;
}

export function fillMetrics(i: FillEvalInput): FillMetrics {
  const { lists, popular } = readResult(i.resultFile, readDepth(i.k, MAX_N));
  const index = new FallbackIndex(popular, i.catalog, 2 * Math.max(i.k, MAX_N) + 1);
  const input = (product: string, fallbacks: boolean): FillInput => ({
    product,
    n: i.k,
    mode: 'any',
    related: lists.get(product) ?? [],
    facts: (key) => i.catalog.getKey(key),
    categoryTop: fallbacks ? index.categoryTop : () => [],
    popularTop: fallbacks ? index.popularTop : [],
  });
  const memo = new Map<string, { related: string[]; filled: string[] }>();
  const listsOf = (product: string) => {
    let l = memo.get(product);
    if (l === undefined) {
      const related = fillList(input(product, false)).map((x) => x.key);
      const filled = related.length >= i.k ? related : fillList(input(product, true)).map((x) => x.key);
      memo.set(product, (l = { related, filled }));
    }
    return l;
  };
  let fullRelated = 0;
  let fullFilled = 0;
  for (const p of i.products) {
    const l = listsOf(p);
    if (l.related.length >= i.k) fullRelated++;
    if (l.filled.length >= i.k) fullFilled++;
  }
  let hitsRelated = 0;
  let hitsFilled = 0;
  let cold = 0;
  let coldRelated = 0;
  let coldFilled = 0;
  for (let e = 0; e < i.queries.length; e++) {
    const l = listsOf(i.queries[e]);
    const hitR = l.related.includes(i.targets[e]) ? 1 : 0;
    const hitF = l.filled.includes(i.targets[e]) ? 1 : 0;
    hitsRelated += hitR;
    hitsFilled += hitF;
    if (l.related.length < i.k) {
      cold++;
      coldRelated += hitR;
      coldFilled += hitF;
    }
  }
  const share = (x: number, of: number): number => (of === 0 ? 0 : x / of);
  return {
    name: i.name,
    products: i.products.length,
    fullRelated: share(fullRelated, i.products.length),
    fullFilled: share(fullFilled, i.products.length),
    hrRelated: share(hitsRelated, i.queries.length),
    hrFilled: share(hitsFilled, i.queries.length),
    coldEvents: cold,
    hrColdRelated: share(coldRelated, cold),
    hrColdFilled: share(coldFilled, cold),
  };
}

/** The second table: a header, one row per job score; tsv or aligned like the first. */
export function formatFill(rows: readonly FillMetrics[], k: number, tsv: boolean): string {
  const head = ['score', `full@${k} related`, `full@${k} filled`, `hr@${k} related`, `hr@${k} filled`, 'cold events', `hr@${k} cold related`, `hr@${k} cold filled`];
  const d = tsv ? 6 : 4;
  const table = [
    head,
    ...rows.map((m) => [m.name, m.fullRelated.toFixed(d), m.fullFilled.toFixed(d), m.hrRelated.toFixed(d), m.hrFilled.toFixed(d), String(m.coldEvents), m.hrColdRelated.toFixed(d), m.hrColdFilled.toFixed(d)]),
  ];
  if (tsv) return table.map((r) => r.join('\t') + '\n').join('');
  const widths = head.map((_, c) => Math.max(...table.map((r) => r[c].length)));
  return table.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd() + '\n').join('');
}
