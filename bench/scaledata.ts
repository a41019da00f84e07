// Scaling data for the benchmark: the Diginetica sample's sessions, resampled
// with new path ids to k times the sample (deterministic for a seed).

import { rng } from '../src/core/random';

export interface Session {
  path: string;
  products: string[]; // in view order, repeats kept
}

/** Sessions of diginetica-sample-train-item-views.csv (session_id;user_id;item_id;timeframe;eventdate). */
export function parseDiginetica(csv: Buffer | string): Session[] {
  const text = typeof csv === 'string' ? csv : csv.toString('latin1');
  const bySession = new Map<string, Session>();
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    if (line === '') continue;
    const f = line.split(';');
    const path = f[0] as string;
    const product = f[2];
    if (product === undefined || path === '' || product === '') continue;
    let s = bySession.get(path);
    if (s === undefined) {
      s = { path, products: [] };
      bySession.set(path, s);
    }
    s.products.push(product);
  }
  return [...bySession.values()];
}

/** The project's seeded PRNG (mulberry32), shared with the demo generator. */
export const prng = rng;

export interface Resampled {
  text: string; // views file: path_id<TAB>product_id lines
  views: number;
  sessions: Session[];
}

/**
 * factor x the sample: the sample itself (original path ids), then factor-1
 * rounds of as many sessions drawn with replacement, each under a new path id.
 */
export function resample(sample: Session[], factor: number, seed: number): Resampled {
  const rand = prng(seed);
  const sessions: Session[] = [...sample];
  for (let round = 1; round < factor; round++) {
    for (let j = 0; j < sample.length; j++) {
      const s = sample[Math.floor(rand() * sample.length)] as Session;
      sessions.push({ path: `r${round}s${j}`, products: s.products });
    }
  }
  const parts: string[] = [];
  let views = 0;
  for (const s of sessions) {
    for (const p of s.products) parts.push(`${s.path}\t${p}\n`);
    views += s.products.length;
  }
  return { text: parts.join(''), views, sessions };
}

/** Ordered pairs of distinct products the job emits (paths over the cap are skipped). */
export function expectedPairs(sessions: Session[], maxPathProducts: number): number {
  let pairs = 0;
  for (const s of sessions) {
    const d = new Set(s.products).size;
    if (maxPathProducts === 0 || d <= maxPathProducts) pairs += d * (d - 1);
  }
  return pairs;
}
