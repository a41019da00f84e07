/**
 * Filters and fallbacks from MySQL: the lists in db/schema.sql's
 * viewed_products, the facts in its products table (--catalog-table
 * products): the same answers as from the file, never an unavailable product.
 *
 * Skips with a visible reason without MariaDB, except under CI=true.
 */
import { tmpDir } from './helpers/exec';
import { FILL_PRODUCTS, FILLED, UNAVAILABLE, writeFillFixture } from './helpers/fill-fixtures';
import { jobDatabase } from './helpers/mariadb-shared';
import { Server, startServer } from './helpers/serve';
import { describeIf } from './helpers/suite';
import { missingMariaDb } from './helpers/tools';

const DB = 'vp_serve_fill';

jest.setTimeout(120_000);

describeIf(missingMariaDb(), 'filters and fallbacks from MariaDB', () => {
  let server: Server;

  beforeAll(async () => {
    const files = writeFillFixture(tmpDir('vp-serve-fill-db-'));
    const { db, job } = await jobDatabase(DB);
    db.sql(
      `LOAD DATA LOCAL INFILE '${files.ranked}' INTO TABLE viewed_products CHARACTER SET binary;
       LOAD DATA LOCAL INFILE '${files.products}' INTO TABLE products CHARACTER SET utf8mb4`,
      DB,
    );
    server = await startServer(['--db-defaults-file', job.optionFile, '--database', DB, '--catalog-table', 'products']);
  });

  afterAll(async () => {
    if (server) expect(await server.stop()).toBe(0);
  });

  test.each(FILLED)('%s', async (_, request, want) => {
    const r = await fetch(`${server.url}api/related/${request}`);
    expect({ status: r.status, body: await r.json() }).toEqual({ status: 200, body: want });
  });

  test('an unavailable product never appears; a bad category is a 400', async () => {
    let seen = 0;
    for (const p of FILL_PRODUCTS) {
      for (const q of ['n=100', 'n=2', 'n=3&category=same']) {
        const r = await fetch(`${server.url}api/related/${p}?${q}`);
        const ids = ((await r.json()) as { related: Array<{ product: string }> }).related.map((x) => x.product);
        expect(ids.filter((id) => UNAVAILABLE.includes(id) || id === p)).toEqual([]);
        seen += ids.length;
      }
      const page = await (await fetch(`${server.url}products/${p}`)).text();
      for (const u of UNAVAILABLE) expect(page).not.toContain(`href="/products/${u}"`);
    }
    expect(seen).toBeGreaterThan(60);
    expect((await fetch(`${server.url}api/related/t1?category=other`)).status).toBe(400);
  });
});
