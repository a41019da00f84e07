/**
 * Filters and fallbacks through the real server from a result file: a
 * catalog with facts fills short lists (category, then the store) and never
 * shows an unavailable product; a catalog without the new columns answers
 * byte for byte as before; a bad ?category= is a 400.
 */
import { tmpDir } from './helpers/exec';
import { FILL_PRODUCTS, FILLED, UNAVAILABLE, writeFillFixture } from './helpers/fill-fixtures';
import { Server, startServer } from './helpers/serve';

jest.setTimeout(60_000);

const files = writeFillFixture(tmpDir('vp-serve-fill-'));

async function get(url: string): Promise<{ status: number; text: string }> {
  const r = await fetch(url);
  return { status: r.status, text: await r.text() };
}

describe('a catalog with facts', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer(['--result', files.result, '--catalog', files.facts]);
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  test.each(FILLED)('%s', async (_, request, want) => {
    const r = await get(`${server.url}api/related/${request}`);
    expect({ status: r.status, body: JSON.parse(r.text) }).toEqual({ status: 200, body: want });
  });

  test('an unavailable product never appears, whatever the product, n and category', async () => {
    let seen = 0;
    for (const p of FILL_PRODUCTS) {
      for (const q of ['n=100', 'n=1', 'n=3&category=same', 'n=100&category=any']) {
        const r = await get(`${server.url}api/related/${p}?${q}`);
        expect(r.status).toBe(200);
        const ids = (JSON.parse(r.text) as { related: Array<{ product: string }> }).related.map((x) => x.product);
        expect(ids.filter((id) => UNAVAILABLE.includes(id) || id === p)).toEqual([]);
        expect(new Set(ids).size).toBe(ids.length);
        seen += ids.length;
      }
      const page = await get(`${server.url}products/${p}`);
      for (const u of UNAVAILABLE) expect(page.text).not.toContain(`href="/products/${u}"`);
    }
    expect(seen).toBeGreaterThan(80);
  });

  test.each(['bogus', 'SAME', '', 'same%20'])('category=%j is a 400', async (value) => {
    const r = await get(`${server.url}api/related/t1?category=${value}`);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).error).toMatch(/^category must be same or any, got /);
  });

  test('the page labels the fill; a product neither listed nor in the catalog is still a 404', async () => {
    const page = await get(`${server.url}products/t9`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h2>Popular in tents</h2>');
    expect(page.text).toContain('<h2>Popular in the store</h2>');
    expect(page.text).toContain('No other product was viewed with this one yet.');
    expect((await get(`${server.url}api/related/zz`)).status).toBe(404);
    expect((await get(`${server.url}products/zz`)).status).toBe(404);
  });
});

describe('a catalog without the new columns', () => {
  test('answers as before, byte for byte, with or without a header naming its columns', async () => {
    // Today's answers, written out: every row of the list, unavailable ones too, no source, no fill.
    const want: Record<string, string> = {
      't1?n=4': '{"product":"t1","related":[{"product":"t2","count":5,"name":"Tent 2"},{"product":"t3","count":4,"name":"Tent 3"},{"product":"l1","count":3,"name":"Lamp 1"},{"product":"l2","count":2,"name":"Lamp 2"}]}\n',
      't4?category=same': '{"product":"t4","related":[{"product":"t2","count":1,"name":"Tent 2"}]}\n',
      't2?n=1': '{"product":"t2","related":[{"product":"t1","count":5,"name":"Tent 1"}]}\n',
    };
    for (const catalog of [files.plain, files.plainHeader]) {
      const server = await startServer(['--result', files.result, '--catalog', catalog]);
      try {
        for (const [request, body] of Object.entries(want)) expect(await get(`${server.url}api/related/${request}`)).toEqual({ status: 200, text: body });
        expect((await get(`${server.url}api/related/t9`)).status).toBe(404);
        expect((await get(`${server.url}api/related/t1?category=x`)).status).toBe(400);
        const page = await get(`${server.url}products/t1`);
        expect(page.text).not.toContain('Popular in');
      } finally {
        expect(await server.stop()).toBe(0);
      }
    }
  });
});
