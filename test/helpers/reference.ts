/**
 * A deliberately simple, independent implementation of the whole job, for
 * comparison: strings in, a map of "source\ttarget" -> weight out. It shares
 * no code with src/ (strings split on TAB, Sets and Maps, no sorting needed).
 */
export interface ReferenceResult {
  pairs: Map<string, number>;
  skipped: number;
  paths: number;
  capped: number;
}

/** `lines` are latin1 strings (one char per byte), without '\n'. */
export function referenceJob(lines: string[], maxPathProducts = 1000): ReferenceResult {
  const byPath = new Map<string, Set<string>>();
  let skipped = 0;
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const f = line.split('\t');
    if (f.length === 2 && f[0] === 'path_id' && f[1] === 'product_id') continue;
    // A product id longer than the tables' VARBINARY(255) is a bad view (latin1: one char per byte).
    if (f.length !== 2 || f[0] === '' || f[1] === '' || f[0] === 'NULL' || f[1] === 'NULL' || f[1].length > 255) {
      skipped++;
      continue;
    }
    let set = byPath.get(f[0]);
    if (!set) byPath.set(f[0], (set = new Set()));
    set.add(f[1]);
  }
  const pairs = new Map<string, number>();
  let capped = 0;
  for (const set of byPath.values()) {
    if (maxPathProducts > 0 && set.size > maxPathProducts) {
      capped++;
      continue;
    }
    for (const a of set) for (const b of set) if (a !== b) pairs.set(`${a}\t${b}`, (pairs.get(`${a}\t${b}`) ?? 0) + 1);
  }
  return { pairs, skipped, paths: byPath.size, capped };
}

/** The import file the job must write for a reference result: lines sorted by byte order. */
export function referenceImportFile(r: ReferenceResult): string {
  const rows = [...r.pairs.entries()].map(([k, w]) => `${k}\t${w}\n`);
  rows.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return rows.join('');
}

/**
 * The reference's import lines of SOURCES only (source<TAB>target<TAB>count,
 * byte order), by referenceJob's rules: cheap on a large input, to check a
 * sample of a result the job made.
 */
export function referenceLinesFor(lines: string[], sources: ReadonlySet<string>, maxPathProducts = 1000): string {
  const byPath = new Map<string, Set<string>>();
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const f = line.split('\t');
    if (f.length === 2 && f[0] === 'path_id' && f[1] === 'product_id') continue;
    if (f.length !== 2 || f[0] === '' || f[1] === '' || f[0] === 'NULL' || f[1] === 'NULL' || f[1].length > 255) continue;
    let set = byPath.get(f[0]);
    if (!set) byPath.set(f[0], (set = new Set()));
    set.add(f[1]);
  }
  const pairs = new Map<string, number>();
  for (const set of byPath.values()) {
    if (maxPathProducts > 0 && set.size > maxPathProducts) continue;
    for (const a of set) if (sources.has(a)) for (const b of set) if (a !== b) pairs.set(`${a}\t${b}`, (pairs.get(`${a}\t${b}`) ?? 0) + 1);
  }
  const rows = [...pairs.entries()].map(([k, w]) => `${k}\t${w}\n`);
  rows.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return rows.join('');
}
