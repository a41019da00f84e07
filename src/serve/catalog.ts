/**
 * Product names and images: a file of `product_id<TAB>name[<TAB>image_url]`
 * lines or a MySQL table, held in memory (ids as latin1 strings, one char per
 * byte). Names are UTF-8 text; image URLs other than http(s) are dropped.
 */
import * as fs from 'node:fs';

export interface CatalogEntry {
  name: string;
  image: string | null;
}

export class CatalogError extends Error {}

const HTTP_URL = /^https?:\/\/[^\s"'<>]+$/i;

export class Catalog {
  private readonly byId = new Map<string, CatalogEntry>();

  add(id: Buffer, name: string, image: string | null): void {
    this.byId.set(id.toString('latin1'), { name, image: image !== null && HTTP_URL.test(image) ? image : null });
  }

  get(id: Buffer): CatalogEntry | undefined {
    return this.byId.get(id.toString('latin1'));
  }

  get size(): number {
    return this.byId.size;
  }

  /** Ids whose name contains the text (case-insensitive), at most `limit`, in catalog order. */
  findByName(text: string, limit: number): Buffer[] {
    const needle = text.toLowerCase();
    const found: Buffer[] = [];
    for (const [id, e] of this.byId) {
      if (found.length >= limit) break;
      if (e.name.toLowerCase().includes(needle)) found.push(Buffer.from(id, 'latin1'));
    }
    return found;
  }

  /** Parses a catalog file's bytes. */
  static parse(data: Buffer, name: string): Catalog {
    const c = new Catalog();
    let start = 0;
    for (let lineNo = 1; start < data.length; lineNo++) {
      let end = data.indexOf(0x0a, start);
      const next = end === -1 ? data.length : end + 1;
      if (end === -1) end = data.length;
      if (end > start && data[end - 1] === 0x0d) end--;
      if (end > start) {
        const line = data.subarray(start, end);
        const t1 = line.indexOf(0x09);
        const t2 = t1 === -1 ? -1 : line.indexOf(0x09, t1 + 1);
        const t3 = t2 === -1 ? -1 : line.indexOf(0x09, t2 + 1);
        if (t1 <= 0 || t3 !== -1) {
          throw new CatalogError(`${name}: line ${lineNo} is not product_id<TAB>name[<TAB>image_url]`);
        }
        const nameEnd = t2 === -1 ? line.length : t2;
        c.add(
          Buffer.from(line.subarray(0, t1)),
          line.toString('utf8', t1 + 1, nameEnd),
          t2 === -1 ? null : line.toString('utf8', t2 + 1),
        );
      }
      start = next;
    }
    return c;
  }

  static readFile(file: string): Catalog {
    return Catalog.parse(fs.readFileSync(file), file);
  }
}
