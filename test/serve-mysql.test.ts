/**
 * dist/serve.js from MySQL: a private MariaDB holding the contract's
 * viewed_products table (score, list_rank), read by a SELECT-only user whose
 * credentials live only in an option file. The API equals the result file's
 * top n for many Diginetica products; odd ids; 404; the query uses the index.
 *
 * Skips with a visible reason without MariaDB, except under CI=true.
 */
import { createConnection } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpDir } from './helpers/exec';
import { MariaDb } from './helpers/mariadb';
import { sharedMariaDb } from './helpers/mariadb-shared';
import { ApiBody, dataResult, expectApiEqualsReference, jsonId, pct, referenceLists, RefRow, runServeToExit, Server, startServer } from './helpers/serve';
import { IDS, SPACE_LIST, writeScoredFixture } from './helpers/serve-fixtures';
import { describeIf } from './helpers/suite';
import { MysqlStore, SQL } from '../src/serve/mysql-store';
import { parseOptionFile } from '../src/serve/option-file';
import { missingMariaDb } from './helpers/tools';

const DB = 'vp_serve';

jest.setTimeout(300_000);

const TABLE = `(source_product_id VARBINARY(255) NOT NULL, target_product_id VARBINARY(255) NOT NULL,
  count INT UNSIGNED NOT NULL, score DOUBLE NULL, list_rank INT UNSIGNED NOT NULL,
  PRIMARY KEY (source_product_id, list_rank), UNIQUE KEY (source_product_id, target_product_id)) ENGINE=InnoDB`;

/** The lists as LOAD DATA rows with their ranks (1 = best), NULL scores as \N. */
function rankedRows(lists: Map<string, RefRow[]>): Buffer {
  const parts: Buffer[] = [];
  for (const [key, list] of lists) {
    list.forEach((r, i) => {
      parts.push(Buffer.from(key, 'hex'), Buffer.from('\t'), r.target);
      parts.push(Buffer.from(`\t${r.count}\t${r.score === null ? '\\N' : r.score}\t${i + 1}\n`));
    });
  }
  return Buffer.concat(parts);
}

type Body = ApiBody;

describeIf(missingMariaDb(), 'serve.js from MariaDB', () => {
  const dir = tmpDir('vp-serve-db-');
  let db: MariaDb;
  let optionFile: string;
  let password: string;
  let lists: Map<string, RefRow[]>;
  let server: Server;

  beforeAll(async () => {
    db = await sharedMariaDb();
    const result = dataResult('diginetica', dir);
    lists = referenceLists(result);
    const scored = writeScoredFixture(dir);
    const load = (file: string, table: string, rows: Buffer): void => {
      fs.writeFileSync(file, rows);
      db.sql(`CREATE TABLE \`${table}\` ${TABLE}; LOAD DATA LOCAL INFILE '${file}' INTO TABLE \`${table}\` CHARACTER SET binary`, DB);
    };
    db.sql(`CREATE DATABASE ${DB}`);
    load(path.join(dir, 'digi.load'), 'viewed_products', rankedRows(lists));
    load(path.join(dir, 'scored.load'), 'viewed_scored', rankedRows(referenceLists(scored.result)));
    db.sql(
      `CREATE TABLE catalog (product_id VARBINARY(255) PRIMARY KEY, name VARCHAR(200) CHARACTER SET utf8mb4, image_url VARCHAR(500));
       LOAD DATA LOCAL INFILE '${scored.catalog}' INTO TABLE catalog CHARACTER SET utf8mb4`,
      DB,
    );
    // A read-only user; its option file quotes the password and has a group that must be ignored.
    password = `p w#${randomBytes(8).toString('hex')}`;
    for (const host of ['localhost', '127.0.0.1']) {
      db.sql(`CREATE USER 'vp_web'@'${host}' IDENTIFIED BY '${password}'; GRANT SELECT ON ${DB}.* TO 'vp_web'@'${host}'`);
    }
    optionFile = path.join(dir, 'web.cnf');
    fs.writeFileSync(
      optionFile,
      `# the web server's read-only user\n[mysqld]\nuser=mysql\n\n[client]\nuser = vp_web\npassword = "${password}"\nhost=127.0.0.1  # loopback\nport=${db.port}\n`,
      { mode: 0o600 },
    );
    server = await startServer(['--db-defaults-file', optionFile, '--database', DB]);
  });

  afterAll(async () => {
    if (server) expect(await server.stop()).toBe(0);
    if (server) expect(server.stderr()).not.toContain(password);
  });

  test("the API equals the result file's top n for many products", async () => {
    expect(await expectApiEqualsReference(server.url, lists, 97)).toBeGreaterThan(50);
  });

  test('an unknown product is a 404; /healthz names the source', async () => {
    const r = await fetch(`${server.url}api/related/no-such-product`);
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: 'unknown product: no list for it' });
    expect(await (await fetch(`${server.url}healthz`)).json()).toEqual({ status: 'ok', source: 'mysql' });
  });

  test('scores, odd ids and the catalog table through --table and --catalog-table', async () => {
    const s = await startServer(['--db-defaults-file', optionFile, '--database', DB, '--table', 'viewed_scored', '--catalog-table', 'catalog']);
    try {
      const body = (await (await fetch(`${s.url}api/related/a%20b`)).json()) as Body;
      expect(body.related.map((e) => jsonId(e))).toEqual(SPACE_LIST);
      expect(body.related.map((e) => e.score)).toEqual([0.9, 0.5, 0.5, 0.5, 0.25, 0.05]);
      expect(body.related[2]).toEqual({ product: 'café', count: 2, score: 0.5, name: 'Café crème' });
      for (const id of Object.values(IDS)) {
        const r = await fetch(`${s.url}api/related/${pct(id)}`);
        expect(r.status).toBe(200);
        expect(jsonId((await r.json()) as Body)).toEqual(id);
      }
      const page = await (await fetch(`${s.url}products/xss-1`)).text();
      expect(page).toContain('People who viewed &#60;script&#62;alert(1)&#60;/script&#62; also viewed');
      expect(page).not.toMatch(/<script/i);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  /** EXPLAIN of the server's own statement text, its `?` bound by EXECUTE ... USING. */
  function explain(sql: string, values: string[]): string {
    const sets = values.map((v, i) => `SET @v${i} = ${v};`).join(' ');
    const using = values.length === 0 ? '' : ` USING ${values.map((_, i) => `@v${i}`).join(', ')}`;
    return db.sql(`${sets} PREPARE s FROM ${JSON.stringify(`EXPLAIN ${sql}`)}; EXECUTE s${using};`, DB);
  }

  test("the store's statements read the primary key, with no filesort nor temporary table", () => {
    const id = `X'${[...lists.keys()][0]}'`;
    const related = explain(SQL.related('viewed_products'), [id, '10']);
    expect(related).toMatch(/\tPRIMARY\t/);
    expect(related).not.toMatch(/filesort|temporary/i);
    const chunk = explain(SQL.popularChunk('viewed_products'), ["X''", '2000']);
    expect(chunk).toMatch(/\tPRIMARY\t/);
    expect(chunk).not.toMatch(/filesort|temporary/i);
    const find = explain(SQL.findIds('viewed_products'), ["'12%'", '48']);
    expect(find).toMatch(/\tPRIMARY\t/);
    expect(find).not.toMatch(/filesort/i);
  });

  test('popular() and findIds() of the store equal the lists', async () => {
    const store = MysqlStore.open(parseOptionFile(fs.readFileSync(optionFile, 'utf8')), DB, 'viewed_products');
    try {
      const sums = [...lists].map(([key, l]) => ({ id: Buffer.from(key, 'hex'), coViews: l.reduce((n, r) => n + Number(r.count), 0), related: l.length }));
      sums.sort((a, b) => b.coViews - a.coViews || Buffer.compare(a.id, b.id));
      const top = await store.popular(24);
      expect(top.map((p) => [p.product.toString('latin1'), p.coViews, p.related])).toEqual(sums.slice(0, 24).map((p) => [p.id.toString('latin1'), p.coViews, p.related]));
      const ids = [...lists.keys()].map((k) => Buffer.from(k, 'hex')).sort(Buffer.compare);
      const prefix = ids[ids.length >> 1].subarray(0, 3);
      const want = ids.filter((id) => id.subarray(0, prefix.length).equals(prefix)).slice(0, 7);
      expect(want.length).toBeGreaterThan(0);
      expect(await store.findIds(prefix, 7)).toEqual(want);
      expect(await store.findIds(Buffer.from('no-such-prefix'), 7)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  test('behind a table lock (the RENAME waiting), product pages fail fast with 503 and the home page answers from its cache', async () => {
    const s = await startServer(['--db-defaults-file', optionFile, '--database', DB]);
    const root = await createConnection({ socketPath: db.socket, user: 'root', database: DB });
    try {
      expect((await fetch(s.url)).status).toBe(200);
      await root.query('LOCK TABLES viewed_products WRITE');
      const id = pct(Buffer.from([...lists.keys()][1], 'hex'));
      // Without the session's lock_wait_timeout this request waits for the lock (a day by default).
      const r = await fetch(`${s.url}api/related/${id}`, { signal: AbortSignal.timeout(60_000) });
      expect(r.status).toBe(503);
      expect(s.stderr()).toMatch(/Lock wait timeout exceeded/);
      expect((await fetch(s.url, { signal: AbortSignal.timeout(60_000) })).status).toBe(200);
      await root.query('UNLOCK TABLES');
      expect((await fetch(`${s.url}api/related/${id}`)).status).toBe(200);
    } finally {
      await root.end();
      expect(await s.stop()).toBe(0);
    }
  });

  test('a user without access: exit 1 with the reason, no password shown', async () => {
    const bad = path.join(dir, 'bad.cnf');
    fs.writeFileSync(bad, `[client]\nuser=vp_web\npassword=wrong-${password}\nhost=127.0.0.1\nport=${db.port}\n`, { mode: 0o600 });
    const r = await runServeToExit(['--db-defaults-file', bad, '--database', DB, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read vp_serve\.viewed_products with .*bad\.cnf: Access denied/);
    expect(r.stderr).not.toContain(password);
  });
});
