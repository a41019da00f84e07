/**
 * Product names, images and facts (category, available): a file of
 * `product_id<TAB>name[<TAB>image_url]` lines, or with a header line naming
 * its columns (catalog-columns.ts), or a MySQL table, held in memory (ids as
 * latin1 strings, one char per byte). Names are UTF-8 text; image URLs other
 * than http(s) are dropped.
 */
import * as fs from 'node:fs';
import { availableValue, ColumnLayout, FIXED_LAYOUT, headerLayout } from './catalog-columns';

export interface CatalogEntry {
  name: string;
  image: string | null;
  /** null: none given. */
  category: string | null;
  available: boolean;
}

export class CatalogError extends Error {}

const HTTP_URL = /^https?:\/\/[^\s"'<>]+$/i;

export class Catalog {
  private readonly byId = new Map<string, CatalogEntry>();
  /** The catalog has category or available columns: filters and fallbacks apply (else answers are today's). */
  facts = false;

  add(id: Buffer, name: string, image: string | null, category: string | null = null, available = true): void {
    const entry = { name, image: image !== null && HTTP_URL.test(image) ? image : null, category: category === '' ? null : category, available };
    this.byId.set(id.toString('latin1'), entry);
  }

  /** By the latin1 key (one char per id byte). */
  getKey(key: string): CatalogEntry | undefined {
    return this.byId.get(key);
  }

  get(id: Buffer): CatalogEntry | undefined {
    return this.byId.get(id.toString('latin1'));
  }

  /** Every product's latin1 key, in catalog order. */
  keys(): IterableIterator<string> {
    return this.byId.keys();
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
    let layout: ColumnLayout = FIXED_LAYOUT;
    let start = 0;
    for (let lineNo = 1; start < data.length; lineNo++) {
      let end = data.indexOf(0x0a, start);
      const next = end === -1 ? data.length : end + 1;
      if (end === -1) end = data.length;
      if (end > start && data[end - 1] === 0x0d) end--;
      if (end > start) {
        const fields = splitTabs(data, start, end);
        const header = lineNo === 1 ? headerLayout(fields.map((f) => data.toString('latin1', f[0], f[1]))) : null;
        if (typeof header === 'string') throw new CatalogError(`${name}: line 1 (header): ${header}`);
        if (header !== null) {
          layout = header;
          c.facts = header.facts;
        } else addLine(c, data, fields, layout, `${name}: line ${lineNo}`);
      }
      start = next;
    }
    return c;
  }

  static readFile(file: string): Catalog {
    return Catalog.parse(fs.readFileSync(file), file);
  }
}

/** [start, end) of each tab-separated field of a line. */
function splitTabs(data: Buffer, start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = start; ; ) {
    const t = data.indexOf(0x09, i);
    if (t === -1 || t >= end) {
      out.push([i, end]);
      return out;
    }
    out.push([i, t]);
    i = t + 1;
  }
}

function addLine(c: Catalog, data: Buffer, fields: Array<[number, number]>, layout: ColumnLayout, where: string): void {
  const ix = layout.index;
  const ok = layout.fixed ? fields.length >= 2 && fields.length <= 3 : fields.length === layout.fields;
  if (layout.fixed && (!ok || fields[0][1] === fields[0][0])) throw new CatalogError(`${where} is not product_id<TAB>name[<TAB>image_url]`);
  if (!ok) throw new CatalogError(`${where} has ${fields.length} fields, the header names ${layout.fields}`);
  if (fields[ix.product_id][1] === fields[ix.product_id][0]) throw new CatalogError(`${where}: empty product_id`);
  const text = (i: number): string | null => (i === -1 || i >= fields.length ? null : data.toString('utf8', fields[i][0], fields[i][1]));
  const available = ix.available === -1 ? true : availableValue(text(ix.available) ?? '');
  if (available === null) throw new CatalogError(`${where}: available must be 1 or 0, got ${JSON.stringify((text(ix.available) ?? '').slice(0, 20))}`);
  const [s, e] = fields[ix.product_id];
  c.add(Buffer.from(data.subarray(s, e)), text(ix.name) ?? '', text(ix.image_url), text(ix.category), available);
}
