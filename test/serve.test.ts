/**
 * dist/serve.js from a result file, driven over HTTP as a client would: the
 * API equals the file's top N (computed here independently) for many
 * MovieLens products, scores and ties, odd ids round-trip, n bounds, 404,
 * escaping, HEAD, refused methods, security headers, search, SIGTERM.
 */
import * as fs from 'node:fs';
import { tmpDir } from './helpers/exec';
import { ApiBody, dataResult, expectApiEqualsReference, jsonId, pct, referenceLists, runServeToExit, Server, startServer } from './helpers/serve';
import { IDS, SPACE_LIST, writeScoredFixture, XSS_NAME } from './helpers/serve-fixtures';

jest.setTimeout(180_000);

type Body = ApiBody;

const dir = tmpDir('vp-serve-');
const scored = writeScoredFixture(dir);

async function get(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const r = await fetch(url, { redirect: 'manual', ...init });
  return { status: r.status, headers: r.headers, text: await r.text() };
}

describe('from the MovieLens result file', () => {
  let server: Server;
  let lists: ReturnType<typeof referenceLists>;

  beforeAll(async () => {
    const result = dataResult('movielens', dir);
    lists = referenceLists(result);
    server = await startServer(['--result', result]);
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  test("the API equals the file's top n for many products", async () => {
    expect(lists.size).toBe(1682);
    expect(await expectApiEqualsReference(server.url, lists, 28)).toBeGreaterThan(60);
  });

  test('an unknown product is a 404 with a JSON error', async () => {
    const r = await get(`${server.url}api/related/no-such-product`);
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(JSON.parse(r.text)).toEqual({ error: 'unknown product: no list for it' });
    // Ids are bytes: '050' is not '50'.
    expect((await get(`${server.url}api/related/050`)).status).toBe(404);
  });

  test.each(['0', '101', 'abc', '-1', '1.5', '', '1e2'])('n=%j is a 400 naming the bounds', async (n) => {
    const r = await get(`${server.url}api/related/50?n=${n}`);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).error).toMatch(/n must be .*from 1 to 100/);
  });

  test('n=100, the maximum, gives 100 rows', async () => {
    const r = await get(`${server.url}api/related/50?n=100`);
    expect((JSON.parse(r.text) as Body).related).toHaveLength(100);
  });

  test('the home page shows the most co-viewed products, linked', async () => {
    const r = await get(server.url);
    expect(r.status).toBe(200);
    expect(r.text).toContain('<form action="/search" method="get"');
    expect(r.text).toMatch(/Most viewed products/);
    expect(r.text).toMatch(/<a href="\/products\/50">/);
  });
});

describe('from a scored file with odd ids and a catalog', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer(['--result', scored.result, '--catalog', scored.catalog]);
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  test('the list is ranked by score, then count, then target bytes, with scores and names', async () => {
    const r = await get(`${server.url}api/related/a%20b`);
    const body = JSON.parse(r.text) as Body;
    expect(body.product).toBe('a b');
    expect(body.related.map((e) => jsonId(e))).toEqual(SPACE_LIST);
    expect(body.related.map((e) => e.score)).toEqual([0.9, 0.5, 0.5, 0.5, 0.25, 0.05]);
    expect(body.related[2]).toEqual({ product: 'café', count: 2, score: 0.5, name: 'Café crème' });
    // Invalid UTF-8: shown with U+FFFD, exact bytes percent-encoded.
    expect(body.related[3]).toEqual({ product: 'f\ufffdo', product_url: 'f%FFo', count: 2, score: 0.5 });
  });

  test("every product's list equals the file's, scores included", async () => {
    expect(await expectApiEqualsReference(server.url, referenceLists(scored.result), 1)).toBe(8);
  });

  test.each(Object.entries(IDS))('the odd id %s round-trips through the URL and the JSON', async (_, id) => {
    const r = await get(`${server.url}api/related/${pct(id)}`);
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text) as Body;
    expect(jsonId(body)).toEqual(id);
    for (const e of body.related) {
      const back = await get(`${server.url}api/related/${pct(jsonId(e))}?n=1`);
      expect(back.status).toBe(200);
    }
    const page = await get(`${server.url}products/${pct(id)}`);
    expect(page.status).toBe(200);
  });

  test('any valid percent-encoding of the same bytes is the same id; a raw slash or bad escape is not', async () => {
    for (const form of ['caf%c3%a9', 'caf%C3%A9', '%63af%C3%A9']) {
      expect((JSON.parse((await get(`${server.url}api/related/${form}`)).text) as Body).product).toBe('café');
    }
    expect((await get(`${server.url}api/related/x%2fy`)).status).toBe(200);
    expect((await get(`${server.url}api/related/x/y`)).status).toBe(400);
    expect((await get(`${server.url}api/related/50%`)).status).toBe(400);
    expect((await get(`${server.url}api/related/50%25`)).status).toBe(200);
  });

  test('catalog strings are shown as text, never markup; a javascript: image is dropped', async () => {
    const page = await get(`${server.url}products/xss-1`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('People who viewed &#60;script&#62;alert(1)&#60;/script&#62; also viewed');
    expect(page.text).not.toContain(XSS_NAME);
    expect(page.text).not.toMatch(/<script|javascript:/i);
    const list = await get(`${server.url}products/a%20b`);
    expect(list.text).toContain('Tent &#34;Alpine&#34; &#38; &#60;b&#62;co&#60;/b&#62;');
    expect(list.text).toContain('<img src="https://img.example/tent.png"');
    expect(list.text).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(list.text).toContain('<a href="/products/f%FFo">');
    expect(list.text).toContain('score 0.500000');
  });

  test('security headers on pages, JSON and errors', async () => {
    for (const p of ['', 'products/a%20b', 'api/related/a%20b', 'api/related/nope', 'nope', 'healthz']) {
      const r = await get(`${server.url}${p}`);
      expect(r.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
      expect(r.headers.get('content-security-policy')).not.toMatch(/script-src|unsafe-inline/);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  test('HEAD gives GET\'s status and headers without a body', async () => {
    for (const p of ['', 'products/a%20b', 'api/related/a%20b', 'api/related/nope']) {
      const g = await get(`${server.url}${p}`);
      const h = await get(`${server.url}${p}`, { method: 'HEAD' });
      expect(h.status).toBe(g.status);
      expect(h.text).toBe('');
      expect(h.headers.get('content-length')).toBe(String(Buffer.byteLength(g.text)));
      expect(h.headers.get('content-type')).toBe(g.headers.get('content-type'));
    }
  });

  test.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('%s is refused with 405 and Allow', async (method) => {
    const r = await get(`${server.url}api/related/a%20b`, { method });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, HEAD');
    expect(JSON.parse(r.text).error).toMatch(/only GET and HEAD/);
  });

  test('search: an id opens its page; a name lists the matches; /healthz', async () => {
    const byId = await get(`${server.url}search?q=caf%C3%A9`);
    expect(byId.status).toBe(303);
    expect(byId.headers.get('location')).toBe('/products/caf%C3%A9');
    const byName = await get(`${server.url}search?q=alpine`);
    expect(byName.status).toBe(200);
    expect(byName.text).toContain('<a href="/products/a%20b">');
    expect((await get(`${server.url}search?q=zzz`)).text).toContain('No product matches');
    const health = await get(`${server.url}healthz`);
    const mtime = fs.statSync(scored.result).mtime.toISOString();
    expect([health.status, JSON.parse(health.text)]).toEqual([200, { status: 'ok', source: 'file', file: scored.result, mtime, size: fs.statSync(scored.result).size, rows: 14, products: 8, reloading: false }]);
  });
});

describe('start-up and stop', () => {
  test('--help: usage, endpoints and exit codes on stdout, exit 0', async () => {
    const r = await runServeToExit(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: serve --result FILE/);
    expect(r.stdout).toContain('Exit codes: 0 stopped by SIGTERM/SIGINT, 1 cannot load the lists or listen, 2 bad option.');
  });

  test('without a list source: usage error, exit 2', async () => {
    const r = await runServeToExit([], { PATH: process.env.PATH });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('serve: give the lists: --result FILE, or --db-defaults-file FILE --database NAME');
    expect(r.stdout).toBe('');
  });

  test('a file that is not a result file: exit 1 naming the line', async () => {
    const r = await runServeToExit(['--result', scored.catalog, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/catalog\.tsv line 1 is not a result row/);
  });

  test('a port in use: exit 1', async () => {
    const s = await startServer(['--result', scored.result]);
    const port = new URL(s.url).port;
    const r = await runServeToExit(['--result', scored.result, '--port', port]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/EADDRINUSE/);
    expect(await s.stop()).toBe(0);
  });

  test('binds to 127.0.0.1 by default, prints only its URL on stdout, stops on SIGTERM with 0', async () => {
    const s = await startServer(['--result', scored.result]);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    // A keep-alive connection open does not hold the stop up.
    expect((await get(`${s.url}healthz`)).status).toBe(200);
    expect(await s.stop()).toBe(0);
    expect(s.stderr()).toContain('serve: SIGTERM: stopping');
  });
});
