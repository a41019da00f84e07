/**
 * A MariaDB user that may only connect over TLS with a client certificate
 * (REQUIRE X509), its ssl-ca / ssl-cert / ssl-key in the option file: the
 * job imports with it (its clients read that file alone), and serve.js maps
 * the same settings to its pool and serves the lists; TLS settings serve.js
 * cannot honour are refused at start with a clear error. The run's MariaDB
 * has a throw-away CA and certificates made with openssl (test/helpers/mariadb.ts).
 *
 * Needs mariadb-server, mariadb-client and openssl; skips with a visible
 * reason without them, except under CI=true, where it fails.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tlsFiles } from './helpers/mariadb';
import { runServeToExit, startServer } from './helpers/serve';
import { describeIf } from './helpers/suite';
import { TinyDb } from './helpers/tiny-db';
import { missingMariaDb } from './helpers/tools';

jest.setTimeout(180_000);

const DB = 'vp_tls';
const USER = 'vp_tls_x509';
const PASSWORD = 'pw-tls-only-0123456789';

describeIf(missingMariaDb(), 'a TLS-only database user', () => {
  let ctx: TinyDb;
  let plain = '';
  let withTls = '';

  beforeAll(async () => {
    ctx = await TinyDb.create(DB);
    for (const host of ['localhost', '127.0.0.1']) {
      ctx.db.sql(`CREATE USER '${USER}'@'${host}' IDENTIFIED BY '${PASSWORD}' REQUIRE X509`);
      ctx.db.sql(`GRANT ALL PRIVILEGES ON \`${DB}\`.* TO '${USER}'@'${host}'`);
      ctx.db.grantStaging(DB, `'${USER}'@'${host}'`);
    }
    const tls = tlsFiles(path.join(ctx.db.dir, 'tls'));
    plain = path.join(ctx.work, 'plain.cnf');
    withTls = path.join(ctx.work, 'tls.cnf');
    const base = `[client]\nuser=${USER}\npassword=${PASSWORD}\nhost=127.0.0.1\nport=${ctx.db.port}\n`;
    fs.writeFileSync(plain, base, { mode: 0o600 });
    fs.writeFileSync(withTls, `${base}ssl-ca=${tls.ca}\nssl-cert=${tls.clientCert}\nssl-key=${tls.clientKey}\n`, { mode: 0o600 });
  });

  afterAll(() => ctx?.remove());

  test('without the TLS settings the user is refused (the check below could fail)', () => {
    const r = spawnSync('mysql', [`--defaults-file=${plain}`, '-e', 'SELECT 1', DB], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Access denied/);
  });

  test('the job imports over TLS with that option file; the table is the reference', async () => {
    const r = await ctx.run(['--db-defaults-file', withTls]);
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(ctx.tableText()).toBe(ctx.expected());
  });

  test('serve.js connects with ssl-ca, ssl-cert and ssl-key (VERIFY_CA) and serves a list', async () => {
    const server = await startServer(['--db-defaults-file', withTls, '--database', DB]);
    try {
      const res = await fetch(`${server.url}api/related/p1`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { related: { product: string }[] };
      const expected = ctx
        .expected()
        .split('\n')
        .filter((l) => l.startsWith('p1\t'))
        .map((l) => l.split('\t')[1]);
      expect(body.related.map((e) => e.product).sort()).toEqual(expected.sort());
    } finally {
      await server.stop();
    }
  });

  test.each([
    ['ssl-mode=PREFERRED', /ssl-mode=PREFERRED is not supported by serve\.js/],
    ['loose-ssl-mode=PREFERRED', /ssl-mode=PREFERRED is not supported by serve\.js/],
    ['ssl-capath=/etc/ssl/certs', /ssl-capath is not supported by serve\.js/],
    ['ssl-mode=VERIFY_IDENTITY\nssl-ca=/nonexistent/ca.pem', /cannot read ssl-ca \/nonexistent\/ca\.pem/],
  ])('serve.js refuses %s at start (exit 1, a clear message)', async (line, message) => {
    const file = path.join(ctx.work, 'refused.cnf');
    fs.writeFileSync(file, `${fs.readFileSync(plain, 'utf8')}${line}\n`, { mode: 0o600 });
    const r = await runServeToExit(['--db-defaults-file', file, '--database', DB, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});
