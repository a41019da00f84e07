/**
 * The routes, as a function from (method, raw URL) to a reply, so the HTTP
 * wiring stays in server.ts. Only GET and HEAD (405 with Allow otherwise).
 *
 *   GET /api/related/<id>?n=N   JSON list, best first (n 1..MAX_N, default 10; 400 otherwise)
 *                               [&category=same|any]: filters and fallbacks with a catalog's facts (filler.ts)
 *   GET /products/<id>          HTML "People who viewed <name> also viewed"
 *   GET /                       search box and the most co-viewed products
 *   GET /search?q=TEXT          an id with a list opens its page; else names and ids matching
 *   GET /healthz                200 when the list source answers, 503 when not
 */
import { Catalog } from './catalog';
import { parseCategoryMode } from './fill';
import { filledProductPage } from './fill-html';
import { Filler } from './filler';
import { homePage, notFoundPage, productPage, searchPage } from './html';
import { decodeQueryText, decodeSegment, encodeId, idJsonFields } from './ids';
import { Lru } from './lru';
import { ListStore, MAX_N, Related } from './store';
import { STYLE_CSS } from './style';

export const DEFAULT_N = 10;
/** Related products on a product page, and products on the home page and search results. */
const PAGE_N = 12;
const HOME_N = 24;
const SEARCH_N = 48;
/** The JSON cache's bound, in characters: a crawl of every product stays within it. */
const JSON_CACHE_CHARS = 16 << 20;

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'self'; img-src 'self' https: http: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

function json(status: number, body: string, extra: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...extra }, body };
}

function jsonError(status: number, message: string, extra: Record<string, string> = {}): Reply {
  return json(status, `${JSON.stringify({ error: message })}\n`, extra);
}

function html(status: number, body: string): Reply {
  return { status, headers: { 'Content-Type': HTML_TYPE }, body };
}

function redirect(location: string): Reply {
  return { status: 303, headers: { Location: location, 'Content-Type': 'text/plain; charset=utf-8' }, body: '' };
}

/** The first value of a query parameter, raw (still percent-encoded); undefined when absent. */
export function queryParam(query: string, name: string): string | undefined {
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if ((eq === -1 ? pair : pair.slice(0, eq)) === name) return eq === -1 ? '' : pair.slice(eq + 1);
  }
  return undefined;
}

/** `n`: absent = default; otherwise a whole number 1..MAX_N, or an error message. */
export function parseN(raw: string | undefined): number | string {
  if (raw === undefined) return DEFAULT_N;
  if (!/^[0-9]{1,6}$/.test(raw)) return `n must be a whole number from 1 to ${MAX_N}, got ${JSON.stringify(raw.slice(0, 20))}`;
  const n = Number(raw);
  return n >= 1 && n <= MAX_N ? n : `n must be from 1 to ${MAX_N}, got ${n}`;
}

export class Routes {
  constructor(
    private readonly store: ListStore,
    private readonly catalog: Catalog,
  ) {
    this.filler = catalog.facts ? new Filler(store, catalog, JSON_CACHE_CHARS) : null;
  }

  /** After a reload (SIGHUP), nothing made from the old lists answers again. */
  private forgetOldLists(): void {
    if (this.store.generation === this.cachedGeneration) return;
    this.jsonCache.clear();
    if (this.filler !== null) this.filler = new Filler(this.store, this.catalog, JSON_CACHE_CHARS);
    this.cachedGeneration = this.store.generation;
  }

  private readonly lookup = (id: Buffer) => this.catalog.get(id);
  /** Per product (latin1 key), its list's JSON entries; only for an immutable store, emptied when it reloads. */
  private readonly jsonCache = new Lru(JSON_CACHE_CHARS);
  private cachedGeneration: number | undefined = undefined;
  /** Only with a catalog that has facts: without, every answer is as before them. Made anew when the store reloads. */
  private filler: Filler | null;

  async handle(method: string, url: string): Promise<Reply> {
    this.forgetOldLists();
    const reply = await this.route(method, url);
    Object.assign(reply.headers, SECURITY_HEADERS);
    return reply;
  }

  private async route(method: string, url: string): Promise<Reply> {
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? '' : url.slice(q + 1);
    if (method !== 'GET' && method !== 'HEAD') return jsonError(405, `method ${method} not allowed: only GET and HEAD`, { Allow: 'GET, HEAD' });
    try {
      if (path.startsWith('/api/related/')) return await this.apiRelated(path.slice('/api/related/'.length), query);
      if (path.startsWith('/products/')) return await this.product(path.slice('/products/'.length));
      if (path === '/') return html(200, homePage(await this.store.popular(HOME_N), this.lookup));
      if (path === '/search') return await this.search(queryParam(query, 'q') ?? '');
      if (path === '/healthz') return await this.health();
      if (path === '/static/style.css') return { status: 200, headers: { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }, body: STYLE_CSS };
    } catch (e) {
      process.stderr.write(`serve: ${method} ${path.slice(0, 200)}: ${e instanceof Error ? e.message : String(e)}\n`);
      return path.startsWith('/api/') ? jsonError(503, 'the list source is unavailable') : html(503, notFoundPage('The lists are unavailable right now.'));
    }
    return path.startsWith('/api/') ? jsonError(404, 'no such endpoint') : html(404, notFoundPage('No such page.'));
  }

  private async apiRelated(segment: string, query: string): Promise<Reply> {
    const id = segment.includes('/') ? null : decodeSegment(segment);
    if (id === null || id.length === 0) return jsonError(400, 'the product id must be one URL path segment, its bytes percent-encoded');
    const n = parseN(queryParam(query, 'n'));
    if (typeof n === 'string') return jsonError(400, n);
    const mode = parseCategoryMode(queryParam(query, 'category'));
    if (mode !== 'any' && mode !== 'same') return jsonError(400, mode);
    const rows = this.filler !== null ? await this.filler.json(id, n, mode) : await this.relatedRows(id, n);
    if (rows === null) return jsonError(404, 'unknown product: no list for it');
    return json(200, `{${idJsonFields('product', id)},"related":[${rows.join(',')}]}\n`);
  }

  /** The first n entries' JSON; from an immutable store, each product's made once (MAX_N of them) and reused. */
  private async relatedRows(id: Buffer, n: number): Promise<string[] | null> {
    if (!this.store.immutable) {
      const list = await this.store.related(id, n);
      return list === null ? null : list.map((r) => this.relatedJson(r));
    }
    this.forgetOldLists();
    const key = id.toString('latin1');
    let rows = this.jsonCache.get(key);
    if (rows === undefined) {
      const generation = this.store.generation;
      const list = await this.store.related(id, MAX_N);
      if (list === null) return null;
      rows = list.map((r) => this.relatedJson(r));
      // Lists read before a reload are not cached after it.
      if (generation === this.cachedGeneration) this.jsonCache.set(key, rows);
    }
    return rows.length > n ? rows.slice(0, n) : rows;
  }

  private relatedJson(r: Related): string {
    const entry = this.catalog.get(r.target);
    let out = `{${idJsonFields('product', r.target)},"count":${r.count.replace(/^0+(?=.)/, '')}`;
    if (r.score !== null) out += `,"score":${JSON.stringify(r.score)}`;
    if (entry !== undefined) out += `,"name":${JSON.stringify(entry.name)}`;
    return `${out}}`;
  }

  private async product(segment: string): Promise<Reply> {
    const id = segment.includes('/') ? null : decodeSegment(segment);
    if (id === null || id.length === 0) return html(400, notFoundPage('A product id is one URL path segment, its bytes percent-encoded.'));
    if (this.filler !== null) {
      const filled = await this.filler.list(id, PAGE_N, 'any');
      return filled === null ? html(404, notFoundPage('There is no list for this product.')) : html(200, filledProductPage(id, filled, this.lookup));
    }
    const list = await this.store.related(id, PAGE_N);
    if (list === null) return html(404, notFoundPage('There is no list for this product.'));
    return html(200, productPage(id, list, this.lookup));
  }

  private async search(raw: string): Promise<Reply> {
    const bytes = decodeSegment(raw.replace(/\+/g, ' '));
    const text = decodeQueryText(raw).trim();
    if (bytes === null || text === '') return redirect('/');
    // Without facts, catalog products without a list would only lead to a "not found" page; with them, to a filled one.
    const hasPage = async (id: Buffer): Promise<boolean> => (this.filler !== null && this.catalog.get(id) !== undefined) || (await this.store.related(id, 1)) !== null;
    if (await hasPage(bytes)) return redirect(`/products/${encodeId(bytes)}`);
    const found = new Map<string, Buffer>();
    for (const id of this.catalog.findByName(text, SEARCH_N)) {
      if (await hasPage(id)) found.set(id.toString('latin1'), id);
    }
    for (const id of await this.store.findIds(Buffer.from(text, 'utf8'), SEARCH_N)) found.set(id.toString('latin1'), id);
    return html(200, searchPage(text, [...found.values()].slice(0, SEARCH_N), this.lookup));
  }

  private async health(): Promise<Reply> {
    try {
      await this.store.check();
      return json(200, `${JSON.stringify({ status: 'ok', source: this.store.kind, ...this.store.facts?.() })}\n`);
    } catch (e) {
      process.stderr.write(`serve: health check: ${e instanceof Error ? e.message : String(e)}\n`);
      return json(503, `${JSON.stringify({ status: 'unavailable', source: this.store.kind })}\n`);
    }
  }
}
