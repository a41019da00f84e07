// The store-scale views file (bench/store-data.ts) written as the job reads
// it, path_id<TAB>product_id lines without a header, and cached in
// .cache/bench/store/ under a key of its parameters.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths';
import { generateStore, productIds, type StoreParams, type StoreStats } from './store-data';

/** Path ids start here (an auto-increment column's later values: 7 digits). */
export const FIRST_PATH = 1_000_001;
const CHUNK = 1 << 22;

export interface StoreFile {
  file: string;
  stats: StoreStats;
  cached: boolean;
  seconds: number; // generating (0 when cached)
}

export function storeDir(): string {
  return join(ROOT, '.cache', 'bench', 'store');
}

export function storeKey(p: StoreParams): string {
  return createHash('sha256').update(JSON.stringify({ ...p, firstPath: FIRST_PATH, format: 1 })).digest('hex').slice(0, 12);
}

/** Writes the views of p to file. */
export function writeStore(p: StoreParams, file: string): StoreStats {
  const ids = productIds(p.products).map((id) => Buffer.from(id, 'latin1'));
  const fd = openSync(file, 'w');
  const buf = Buffer.allocUnsafe(CHUNK);
  let at = 0;
  try {
    const stats = generateStore(p, (path, product) => {
      if (at > CHUNK - 64) {
        writeSync(fd, buf, 0, at);
        at = 0;
      }
      // the path id's decimal digits, written backwards from the end of its width
      let n = FIRST_PATH + path;
      let width = 1;
      for (let m = n; m >= 10; m = Math.floor(m / 10)) width++;
      for (let i = at + width - 1; i >= at; i--) {
        buf[i] = 48 + (n % 10);
        n = Math.floor(n / 10);
      }
      at += width;
      buf[at++] = 9;
      at += (ids[product] as Buffer).copy(buf, at);
      buf[at++] = 10;
    });
    writeSync(fd, buf, 0, at);
    return stats;
  } finally {
    closeSync(fd);
  }
}

/** The views file of p: from the cache, or generated into it. */
export function storeViews(p: StoreParams): StoreFile {
  const dir = storeDir();
  const base = join(dir, `views-${p.views}-${storeKey(p)}`);
  const file = `${base}.tsv`;
  const meta = `${base}.json`;
  if (existsSync(file) && existsSync(meta)) {
    const stats = (JSON.parse(readFileSync(meta, 'utf8')) as { stats: StoreStats }).stats;
    return { file, stats, cached: true, seconds: 0 };
  }
  mkdirSync(dir, { recursive: true });
  const t0 = process.hrtime.bigint();
  const stats = writeStore(p, `${file}.tmp`); // renamed when complete: the cache never holds a partial file
  renameSync(`${file}.tmp`, file);
  writeFileSync(meta, `${JSON.stringify({ params: p, stats }, null, 1)}\n`);
  return { file, stats, cached: false, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}
