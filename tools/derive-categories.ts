/**
 * A catalog with derived categories for view data that has none (the
 * YooChoose sample), for evaluate.js --catalog. Only the training paths count
 * (the evaluator's split: src/eval/split.ts, same --test-share), so the test
 * events never shape a category: each product is joined to the product it was
 * most often viewed with (ties: id bytes), and each connected group of those
 * links is a category, named after its smallest id. Products seen only in test
 * paths get no category. Every product is available.
 *
 *   npx esbuild tools/derive-categories.ts --bundle --platform=node --outfile=.cache/tools/derive-categories.js
 *   node .cache/tools/derive-categories.js VIEWS [TEST_SHARE] > catalog.tsv     # VIEWS: path<TAB>product<TAB>time
 */
import * as fs from 'node:fs';
import { noteFirstTime, testPaths } from '../src/eval/split';

function main(file: string, share: number): void {
  const views: Array<[string, string]> = [];
  const first = new Map<string, number>();
  const products = new Set<string>();
  for (const line of fs.readFileSync(file, 'latin1').split('\n')) {
    const [p, product, time] = line.replace(/\r$/, '').split('\t');
    if (time === undefined || !/^[0-9.]+$/.test(time)) continue;
    views.push([p, product]);
    products.add(product);
    noteFirstTime(first, p, Number(time));
  }
  const test = testPaths(first, share);
  const byPath = new Map<string, Set<string>>();
  for (const [p, product] of views) {
    if (test.has(p)) continue;
    let s = byPath.get(p);
    if (s === undefined) byPath.set(p, (s = new Set()));
    s.add(product);
  }
  const pairs = new Map<string, Map<string, number>>();
  const bump = (a: string, b: string): void => {
    let m = pairs.get(a);
    if (m === undefined) pairs.set(a, (m = new Map()));
    m.set(b, (m.get(b) ?? 0) + 1);
  };
  for (const s of byPath.values()) for (const a of s) for (const b of s) if (a !== b) bump(a, b);
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    for (let up = parent.get(r); up !== undefined && up !== r; up = parent.get(r)) r = up;
    parent.set(x, r);
    return r;
  };
  for (const a of pairs.keys()) parent.set(a, a);
  for (const [a, m] of pairs) {
    let best = '';
    let most = 0;
    for (const [b, c] of m) if (c > most || (c === most && b < best)) [best, most] = [b, c];
    const [ra, rb] = [find(a), find(best)];
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const out = ['product_id\tname\tcategory\tavailable\n'];
  for (const p of [...products].sort()) out.push(`${p}\t${p}\t${parent.has(p) ? `c${find(p)}` : ''}\t1\n`);
  fs.writeSync(1, Buffer.from(out.join(''), 'latin1'));
}

const [file, share] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: derive-categories VIEWS [TEST_SHARE] > catalog.tsv\n');
  process.exit(2);
}
main(file, share === undefined ? 0.2 : Number(share));
