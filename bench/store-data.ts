// A store-scale views table, synthetic and seeded (issue #13): Zipf product
// popularity, category browsing, crawler sessions, repeated views, and rows in
// global time order as an auto-increment table returns them (sessions overlap).
// Pure: views go to a callback; bench/store-file.ts writes and caches the file.

import { rng } from '../src/core/random';

export interface StoreParams {
  views: number; // exactly this many rows
  sessions: number; // exactly this many paths
  products: number;
  categories: number;
  zipf: number; // popularity exponent (products, and products within a category)
  crawlerShare: number; // share of sessions that are crawlers
  crawlerMinViews: number; // crawler session length: log-uniform in [min, max]
  crawlerMaxViews: number;
  sessionSigma: number; // normal session length: lognormal with this sigma, mean set by views
  maxSessionViews: number; // normal sessions are cut at this length
  repeatShare: number; // a normal session's view re-views one of its earlier products
  crawlerRepeatShare: number;
  secondCategoryShare: number; // sessions browsing two categories rather than one
  offCategoryShare: number; // a normal session's view leaves its categories (global popularity)
  maxPathProducts: number; // the job's path cap, for the pair count
  seed: number;
}

/** The data set: 13.5M views, 2M sessions, 200k products. */
export const STORE_DEFAULTS: StoreParams = {
  views: 13_500_000,
  sessions: 2_000_000,
  products: 200_000,
  categories: 1_000,
  zipf: 1,
  crawlerShare: 0.0004,
  crawlerMinViews: 200,
  crawlerMaxViews: 4_000,
  sessionSigma: 1.53,
  maxSessionViews: 500,
  repeatShare: 0.12,
  crawlerRepeatShare: 0.02,
  secondCategoryShare: 0.4,
  offCategoryShare: 0.15,
  maxPathProducts: 1000,
  seed: 13,
};

/** The defaults scaled to `views` (sessions in proportion; the catalogue as given, by default unchanged). */
export function storeParams(views: number, seed = STORE_DEFAULTS.seed, products = STORE_DEFAULTS.products): StoreParams {
  const sessions = Math.max(1, Math.round((views * STORE_DEFAULTS.sessions) / STORE_DEFAULTS.views));
  return { ...STORE_DEFAULTS, views, sessions, seed, products };
}

export interface StoreStats {
  views: number;
  sessions: number;
  crawlerSessions: number;
  sessionsOverCap: number; // more distinct products than maxPathProducts
  maxDistinct: number;
  repeatedViews: number; // views of a product the session had already viewed
  pairs: number; // ordered pairs phase 1 emits: sum of d(d-1) over paths within the cap
}

/** Product rank r (0 = most popular) -> its id: a bijection onto 1..products, so ids do not follow popularity. */
export function productIds(products: number): string[] {
  const mult = products % 7919 === 0 ? 7927 : 7919;
  const ids: string[] = new Array<string>(products);
  for (let r = 0; r < products; r++) ids[r] = String(((r * mult + 4243) % products) + 1);
  return ids;
}

/** First index i in [lo, hi) with cdf[i] > x (hi - 1 when none: rounding at the top). */
function pick(cdf: Float64Array, lo: number, hi: number, x: number): number {
  let a = lo;
  let b = hi - 1;
  while (a < b) {
    const m = (a + b) >>> 1;
    if ((cdf[m] as number) > x) b = m;
    else a = m + 1;
  }
  return a;
}

interface Catalogue {
  cdf: Float64Array; // global popularity, cumulative over ranks
  catStart: Int32Array; // category c's members: catMembers[catStart[c] .. catStart[c+1])
  catMembers: Int32Array; // ranks, ascending within a category
  catCdf: Float64Array; // popularity within each category, cumulative from its start, parallel to catMembers
  catPick: Float64Array; // categories, cumulative by their total popularity
}

function catalogue(p: StoreParams, rand: () => number): Catalogue {
  const n = p.products;
  const cdf = new Float64Array(n);
  const cat = new Int32Array(n);
  const size = new Int32Array(p.categories + 1);
  let sum = 0;
  for (let r = 0; r < n; r++) {
    sum += 1 / Math.pow(r + 1, p.zipf);
    cdf[r] = sum;
    const c = Math.floor(rand() * p.categories);
    cat[r] = c;
    size[c + 1] = (size[c + 1] as number) + 1;
  }
  const catStart = new Int32Array(p.categories + 1);
  for (let c = 0; c < p.categories; c++) catStart[c + 1] = (catStart[c] as number) + (size[c + 1] as number);
  const fill = catStart.slice(0, p.categories);
  const catMembers = new Int32Array(n);
  const catCdf = new Float64Array(n);
  const catPick = new Float64Array(p.categories);
  const catSum = new Float64Array(p.categories);
  for (let r = 0; r < n; r++) {
    const c = cat[r] as number;
    const at = fill[c] as number;
    fill[c] = at + 1;
    catMembers[at] = r;
    catSum[c] = (catSum[c] as number) + 1 / Math.pow(r + 1, p.zipf);
    // within its category a product's popularity is Zipf over its rank there
    catCdf[at] = (at === (catStart[c] as number) ? 0 : (catCdf[at - 1] as number)) + 1 / Math.pow(at - (catStart[c] as number) + 1, p.zipf);
  }
  // a category is browsed in proportion to its products' global popularity
  let acc = 0;
  for (let c = 0; c < p.categories; c++) {
    acc += catSum[c] as number;
    catPick[c] = acc;
  }
  return { cdf, catStart, catMembers, catCdf, catPick };
}

/** Each product's category (by popularity rank): the catalogue generateStore(p) browses. */
export function productCategories(p: StoreParams): Int32Array {
  const c = catalogue(p, rng(p.seed));
  const out = new Int32Array(p.products);
  for (let k = 0; k < p.categories; k++) {
    for (let i = c.catStart[k] as number; i < (c.catStart[k + 1] as number); i++) out[c.catMembers[i] as number] = k;
  }
  return out;
}

/** Session lengths: crawlers log-uniform, the others lognormal, adjusted so they sum to exactly p.views. */
function lengths(p: StoreParams, rand: () => number): { len: Uint32Array; crawler: Uint8Array } {
  const len = new Uint32Array(p.sessions);
  const crawler = new Uint8Array(p.sessions);
  let crawlerViews = 0;
  let normal = 0;
  for (let i = 0; i < p.sessions; i++) {
    if (rand() < p.crawlerShare) {
      crawler[i] = 1;
      const l = Math.round(p.crawlerMinViews * Math.pow(p.crawlerMaxViews / p.crawlerMinViews, rand()));
      len[i] = l;
      crawlerViews += l;
    } else {
      normal++;
    }
  }
  if (normal === 0 || p.views - crawlerViews < normal) throw new Error(`store data: ${p.views} views are too few for ${p.sessions} sessions`);
  const mean = (p.views - crawlerViews) / normal;
  const mu = Math.log(mean) - (p.sessionSigma * p.sessionSigma) / 2;
  let total = crawlerViews;
  for (let i = 0; i < p.sessions; i++) {
    if (crawler[i] === 1) continue;
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const l = Math.min(p.maxSessionViews, Math.max(1, Math.round(Math.exp(mu + p.sessionSigma * z))));
    len[i] = l;
    total += l;
  }
  // Nudge random normal sessions by one view until the total is exact.
  while (total !== p.views) {
    const i = Math.floor(rand() * p.sessions);
    const l = len[i] as number;
    if (crawler[i] === 1) continue;
    if (total < p.views && l < p.maxSessionViews) {
      len[i] = l + 1;
      total++;
    } else if (total > p.views && l > 1) {
      len[i] = l - 1;
      total--;
    }
  }
  return { len, crawler };
}

interface Session {
  path: number; // index of the session, 0-based, in start order
  left: number; // views still to come
  crawler: boolean;
  c1: number;
  c2: number; // -1: one category only
  seen: number[]; // products viewed so far, in order, repeats kept
  distinct: Set<number>;
}

/** A min-heap of (time, session slot): the sessions' next views. */
class Heap {
  private t = new Float64Array(1024);
  private s = new Int32Array(1024);
  size = 0;

  push(time: number, slot: number): void {
    if (this.size === this.t.length) {
      const t = new Float64Array(this.size * 2);
      t.set(this.t);
      this.t = t;
      const s = new Int32Array(this.size * 2);
      s.set(this.s);
      this.s = s;
    }
    let i = this.size++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if ((this.t[up] as number) <= time) break;
      this.t[i] = this.t[up] as number;
      this.s[i] = this.s[up] as number;
      i = up;
    }
    this.t[i] = time;
    this.s[i] = slot;
  }

  topTime(): number {
    return this.t[0] as number;
  }

  /** Removes the earliest entry; returns its slot. */
  pop(): number {
    const top = this.s[0] as number;
    const n = --this.size;
    const time = this.t[n] as number;
    const slot = this.s[n] as number;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && (this.t[c + 1] as number) < (this.t[c] as number)) c++;
      if ((this.t[c] as number) >= time) break;
      this.t[i] = this.t[c] as number;
      this.s[i] = this.s[c] as number;
      i = c;
    }
    this.t[i] = time;
    this.s[i] = slot;
    return top;
  }
}

const SESSION_GAP_S = 60; // mean seconds between a normal session's views
const CRAWLER_GAP_S = 3;
const PERIOD_S = 7 * 24 * 3600; // the sessions start over a week

/**
 * Generates the views of p, calling emit(path, product) once per row in
 * global time order: path = session index (0-based, in start order), product
 * = popularity rank (0 = most popular). Deterministic for p (seed included).
 */
export function generateStore(p: StoreParams, emit: (path: number, product: number) => void): StoreStats {
  const rand = rng(p.seed);
  const cat = catalogue(p, rand);
  const { len, crawler } = lengths(p, rand);
  const total = cat.cdf[p.products - 1] as number;
  const catTotal = cat.catPick[p.categories - 1] as number;
  const stats: StoreStats = { views: 0, sessions: p.sessions, crawlerSessions: 0, sessionsOverCap: 0, maxDistinct: 0, repeatedViews: 0, pairs: 0 };
  const inCategory = (c: number): number => {
    const lo = cat.catStart[c] as number;
    const hi = cat.catStart[c + 1] as number;
    if (lo === hi) return pick(cat.cdf, 0, p.products, rand() * total);
    return cat.catMembers[pick(cat.catCdf, lo, hi, rand() * (cat.catCdf[hi - 1] as number))] as number;
  };
  const next = (s: Session): number => {
    const repeat = s.crawler ? p.crawlerRepeatShare : p.repeatShare;
    if (s.seen.length > 0 && rand() < repeat) return s.seen[Math.floor(rand() * s.seen.length)] as number;
    if (s.crawler) return Math.floor(rand() * p.products);
    if (rand() < p.offCategoryShare) return pick(cat.cdf, 0, p.products, rand() * total);
    return inCategory(s.c2 >= 0 && rand() < 0.35 ? s.c2 : s.c1);
  };
  const view = (s: Session): void => {
    const product = next(s);
    if (s.distinct.has(product)) stats.repeatedViews++;
    else s.distinct.add(product);
    s.seen.push(product);
    s.left--;
    stats.views++;
    emit(s.path, product);
  };
  const finish = (s: Session): void => {
    const d = s.distinct.size;
    if (d > stats.maxDistinct) stats.maxDistinct = d;
    if (p.maxPathProducts > 0 && d > p.maxPathProducts) stats.sessionsOverCap++;
    else stats.pairs += d * (d - 1);
  };
  const slots: Session[] = [];
  const free: number[] = [];
  const heap = new Heap();
  const gap = (s: Session): number => -Math.log(1 - rand()) * (s.crawler ? CRAWLER_GAP_S : SESSION_GAP_S);
  const arrival = PERIOD_S / p.sessions;
  let started = 0;
  let nextStart = 0;
  while (started < p.sessions || heap.size > 0) {
    if (started < p.sessions && (heap.size === 0 || nextStart <= heap.topTime())) {
      const isCrawler = crawler[started] === 1;
      if (isCrawler) stats.crawlerSessions++;
      const c1 = pick(cat.catPick, 0, p.categories, rand() * catTotal);
      const c2 = rand() < p.secondCategoryShare ? pick(cat.catPick, 0, p.categories, rand() * catTotal) : -1;
      const s: Session = { path: started, left: len[started] as number, crawler: isCrawler, c1, c2, seen: [], distinct: new Set() };
      view(s);
      if (s.left > 0) {
        const slot = free.pop() ?? slots.length;
        slots[slot] = s;
        heap.push(nextStart + gap(s), slot);
      } else {
        finish(s);
      }
      started++;
      nextStart += -Math.log(1 - rand()) * arrival;
    } else {
      const time = heap.topTime();
      const slot = heap.pop();
      const s = slots[slot] as Session;
      view(s);
      if (s.left > 0) {
        heap.push(time + gap(s), slot);
      } else {
        finish(s);
        free.push(slot);
      }
    }
  }
  return stats;
}
