import { Tally } from '../../src/core/sum/tally';

/** Reference semantics for tests: sum decimal counts exactly. */
export function sumCounts(counts: readonly string[]): string {
  const t = new Tally();
  for (const c of counts) {
    const b = Buffer.from(c, 'latin1');
    t.addDigits(b, 0, b.length);
  }
  return t.value().toString();
}
