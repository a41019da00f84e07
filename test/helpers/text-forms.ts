/** The byte-level rules called on latin1 strings (one char = one byte), for tests. */
import { hadoopHashBytes, hadoopPartition } from '../../src/core/partition';
import { Tally } from '../../src/core/sum/tally';
import { classifyView, ViewFields, ViewVerdict } from '../../src/core/views';

/** Reference semantics for tests: sum decimal counts exactly. */
export function sumCounts(counts: readonly string[]): string {
  const t = new Tally();
  for (const c of counts) {
    const b = Buffer.from(c, 'latin1');
    t.addDigits(b, 0, b.length);
  }
  return t.value().toString();
}

/** Classifies a view line given as a string. */
export function classifyViewText(line: string): { verdict: ViewVerdict; path?: string; product?: string } {
  const buf = Buffer.from(line, 'latin1');
  const f: ViewFields = { pathStart: 0, pathEnd: 0, productStart: 0, productEnd: 0 };
  const verdict = classifyView(buf, 0, buf.length, f);
  if (verdict !== 'ok') return { verdict };
  return {
    verdict,
    path: buf.toString('latin1', f.pathStart, f.pathEnd),
    product: buf.toString('latin1', f.productStart, f.productEnd),
  };
}

/** The partition of a key given as a string. */
export function partitionOfKey(key: string, reducers: number): number {
  const b = Buffer.from(key, 'latin1');
  return hadoopPartition(hadoopHashBytes(b, 0, b.length), reducers);
}
