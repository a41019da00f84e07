/**
 * A private MariaDB server for tests: mariadb-install-db into a temporary
 * datadir, mariadbd on a temporary socket and a free loopback port, root
 * (no password) over the socket for the harness, and a job user with a
 * password that only ever lives in a mode-600 option file.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const SBIN_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/libexec', '/usr/local/mysql/bin'];

function which(name: string, extraDirs: string[] = []): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':').filter((d) => d !== ''), ...extraDirs];
  for (const d of dirs) {
    const p = path.join(d, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return null;
}

export interface MariaDbTools {
  server: string;
  installDb: string;
  client: string;
  admin: string;
}

/** The MariaDB programs, or a reason why they cannot be used. */
export function findMariaDb(): MariaDbTools | string {
  // Lets a test see the suite's skip message on a machine that has MariaDB.
  if (process.env.VP_TEST_HIDE_MARIADB === '1') return 'hidden by VP_TEST_HIDE_MARIADB=1';
  const server = which('mariadbd', SBIN_DIRS) ?? which('mysqld', SBIN_DIRS);
  const installDb = which('mariadb-install-db', SBIN_DIRS) ?? which('mysql_install_db', SBIN_DIRS);
  const client = which('mariadb') ?? which('mysql');
  const admin = which('mariadb-admin') ?? which('mysqladmin');
  const missing: string[] = [];
  if (!server) missing.push('mariadbd');
  if (!installDb) missing.push('mariadb-install-db');
  if (!client) missing.push('mariadb/mysql client');
  if (!admin) missing.push('mariadb-admin');
  // The job itself calls these by name.
  if (!which('mysql')) missing.push('mysql');
  if (!which('mysqlimport')) missing.push('mysqlimport');
  if (missing.length > 0) return `not installed: ${missing.join(', ')} (apt-get install mariadb-server mariadb-client)`;
  return { server: server!, installDb: installDb!, client: client!, admin: admin! };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The test server's TLS files: a CA, the server's certificate for 127.0.0.1, and a client's (dir/tls). */
export interface TlsFiles {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** The TLS files of a server folder DIR/tls (made by start()). */
export function tlsFiles(dir: string): TlsFiles {
  const f = (name: string): string => path.join(dir, name);
  return { ca: f('ca.pem'), serverCert: f('server-cert.pem'), serverKey: f('server-key.pem'), clientCert: f('client-cert.pem'), clientKey: f('client-key.pem') };
}

/** A throw-away CA and the server's and a client's certificates, with openssl, in DIR. */
function makeTls(dir: string): TlsFiles {
  fs.mkdirSync(dir, { recursive: true });
  const t = tlsFiles(dir);
  const run = (args: string[]): void => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  };
  const ext = path.join(dir, 'san.cnf');
  fs.writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=vp-test-ca', '-keyout', 'ca-key.pem', '-out', t.ca]);
  for (const [who, cn] of [['server', '127.0.0.1'], ['client', 'vp-test-client']]) {
    run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${who}-key.pem`, '-out', `${who}.csr`]);
    run(['x509', '-req', '-in', `${who}.csr`, '-CA', t.ca, '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '2', '-extfile', ext, '-out', `${who}-cert.pem`]);
  }
  return t;
}

/** The job's default staging database of DATABASE (lib/db-staging.sh). */
export function stagingDatabase(database: string): string {
  return `${database}_staging`;
}

export interface JobUser {
  user: string;
  password: string;
  /** Mode-600 option file: [client] user, password, host 127.0.0.1, port. */
  optionFile: string;
}

/** Where a running server is: its folder (datadir, option files), socket and loopback port. */
export interface MariaDbAddress {
  dir: string;
  socket: string;
  port: number;
}

export class MariaDb {
  private constructor(
    readonly tools: MariaDbTools,
    readonly dir: string,
    readonly socket: string,
    readonly port: number,
    /** The server process when this object started it; null for a server started elsewhere. */
    private readonly proc: ChildProcess | null,
  ) {}

  /** A server another process started (test/helpers/mariadb-shared.ts); stop() leaves it running. */
  static attach(tools: MariaDbTools, at: MariaDbAddress): MariaDb {
    return new MariaDb(tools, at.dir, at.socket, at.port, null);
  }

  get address(): MariaDbAddress {
    return { dir: this.dir, socket: this.socket, port: this.port };
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** Starts a server; a SHARED one may outlive this process (the run's teardown stops it by pid). */
  static async start(tools: MariaDbTools, shared = false): Promise<MariaDb> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-mariadb-'));
    const datadir = path.join(dir, 'data');
    const socket = path.join(dir, 'mysqld.sock');
    const errLog = path.join(dir, 'error.log');
    const isRoot = process.getuid?.() === 0;
    const user = os.userInfo().username;
    const install = spawnSync(
      tools.installDb,
      [
        '--no-defaults',
        `--datadir=${datadir}`,
        `--user=${user}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--skip-name-resolve',
      ],
      { encoding: 'utf8' },
    );
    if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr}${install.stdout}`);
    const port = await freePort();
    const tls = makeTls(path.join(dir, 'tls'));
    const args = [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${path.join(dir, 'mysqld.pid')}`,
      `--log-error=${errLog}`,
      `--tmpdir=${dir}`,
      '--skip-name-resolve',
      '--local-infile=1',
      // A throw-away server: speed over durability.
      '--innodb-buffer-pool-size=512M',
      '--innodb-log-file-size=512M',
      '--innodb-flush-log-at-trx-commit=0',
      '--innodb-doublewrite=0',
      '--skip-log-bin',
      // TLS for the users that require it (a client asks for it; others connect as before).
      `--ssl-ca=${tls.ca}`,
      `--ssl-cert=${tls.serverCert}`,
      `--ssl-key=${tls.serverKey}`,
      // mariadbd refuses to run as root unless told to (CI runs as root).
      ...(isRoot ? ['--user=root'] : []),
    ];
    const proc = spawn(tools.server, args, { stdio: 'ignore' });
    // A shared server outlives the suite that started it: its worker may exit first.
    if (shared) proc.unref();
    let exited: string | null = null;
    proc.on('exit', (code, signal) => (exited = `exit ${code ?? signal}`));
    const db = new MariaDb(tools, dir, socket, port, proc);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ping = spawnSync(tools.admin, ['--no-defaults', `--socket=${socket}`, '-uroot', 'ping'], { encoding: 'utf8' });
      if (ping.status === 0) break;
      const log = fs.existsSync(errLog) ? fs.readFileSync(errLog, 'utf8').slice(-2000) : '';
      if (exited !== null) throw new Error(`mariadbd stopped during start-up (${exited}):\n${log}`);
      if (Date.now() > deadline) {
        await db.stop();
        throw new Error(`mariadbd did not answer within 60 s:\n${log}`);
      }
      await sleep(200);
    }
    return db;
  }

  /**
   * Runs SQL as root over the socket; returns the rows (tab-separated, latin1 =
   * bytes). The SQL goes in on stdin, so no statement (or password in it) is
   * ever on a command line.
   */
  sql(query: string, database?: string): string {
    const r = spawnSync(
      this.tools.client,
      [
        '--no-defaults',
        `--socket=${this.socket}`,
        '-uroot',
        '--batch',
        '--skip-column-names',
        '--default-character-set=binary',
        '--local-infile=1',
        ...(database ? [database] : []),
      ],
      { input: Buffer.from(query, 'latin1'), encoding: 'latin1', maxBuffer: 1 << 30 },
    );
    if (r.status !== 0) throw new Error(`SQL failed (${r.status}): ${query.slice(0, 200)}\n${r.stderr}`);
    return r.stdout;
  }

  /**
   * Creates DATABASE, its staging database (the job's default, DATABASE_staging) and a job user (its own per
   * database, so suites can share a server) with a random password, written to a mode-600 option file.
   */
  createJobUser(database: string, user = `${database}_job`): JobUser {
    const password = `pw-${randomBytes(16).toString('hex')}`;
    this.sql(`CREATE DATABASE IF NOT EXISTS \`${database}\`; CREATE DATABASE IF NOT EXISTS \`${stagingDatabase(database)}\``);
    for (const host of ['localhost', '127.0.0.1']) {
      this.sql(`CREATE USER IF NOT EXISTS '${user}'@'${host}' IDENTIFIED BY '${password}'`);
      this.sql(`GRANT ALL PRIVILEGES ON \`${database}\`.* TO '${user}'@'${host}'`);
      this.grantStaging(database, `'${user}'@'${host}'`);
    }
    const optionFile = path.join(this.dir, `${user}.cnf`);
    fs.writeFileSync(optionFile, `[client]\nuser=${user}\npassword=${password}\nhost=127.0.0.1\nport=${this.port}\n`, {
      mode: 0o600,
    });
    fs.chmodSync(optionFile, 0o600);
    return { user, password, optionFile };
  }

  /** Grants ACCOUNT ('user'@'host') what the job needs on DATABASE's staging database (docs/mysql.md's grant; _ escaped, as there). */
  grantStaging(database: string, account: string): void {
    this.sql(`GRANT SELECT, INSERT, CREATE, DROP, ALTER ON \`${stagingDatabase(database).replace(/_/g, '\\_')}\`.* TO ${account}`);
  }

  /** A digest of a table's definition and every row, in key order. */
  tableDigest(database: string, table: string): string {
    const def = this.sql(`SHOW CREATE TABLE \`${table}\``, database);
    // The primary key's order: a scan of the clustered index (another order costs a lookup per row).
    const key = this.sql(
      `SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = '${database}' AND TABLE_NAME = '${table}' AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`,
    )
      .split('\n')
      .filter((c) => c !== '');
    const order = key.length > 0 ? key.map((c) => `\`${c}\``).join(', ') : '1, 2';
    const rows = this.sql(`SELECT * FROM \`${table}\` ORDER BY ${order}`, database);
    return createHash('sha256').update(def).update('\0').update(rows, 'latin1').digest('hex');
  }

  tables(database: string): string[] {
    return this.sql('SHOW TABLES', database)
      .split('\n')
      .filter((t) => t !== '');
  }

  /** Stops a server this object started and removes its folder; a server started elsewhere stays. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (proc === null) return;
    if (proc.exitCode === null && proc.signalCode === null) {
      const done = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
      await done;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
