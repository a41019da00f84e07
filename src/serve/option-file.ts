/**
 * The job's MySQL option file (`--db-defaults-file`), read for mysql2, which
 * cannot read my.cnf itself. Only what a client connection needs, from the
 * `[client]` group (and `[mysql]`, which the job's clients also read): user,
 * password, host, port, socket, database, and TLS: ssl-ca, ssl-cert, ssl-key,
 * ssl-mode (MySQL's DISABLED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY) or
 * MariaDB's ssl-verify-server-cert. Any other ssl-* setting, and ssl-mode
 * PREFERRED (mysql2 cannot fall back to plain text), are refused: a connection
 * is never silently less protected than the file asks. Comments (`#`, `;`),
 * quoted values and the usual escapes are handled; `!include` / `!includedir`
 * are refused rather than silently ignored. The password is never logged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** How a connection uses TLS: none, encrypted only, or also checking the server's certificate (and name). */
export type SslMode = 'DISABLED' | 'REQUIRED' | 'VERIFY_CA' | 'VERIFY_IDENTITY';

/** The TLS settings of the file, files by name. */
export interface SslSettings {
  mode?: SslMode;
  ca?: string;
  cert?: string;
  key?: string;
}

/** What mysql2's pool takes as `ssl`. */
export interface PoolSsl {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
  verifyIdentity: boolean;
}

export interface ClientOptions {
  user?: string;
  password?: string;
  host?: string;
  port?: number;
  socket?: string;
  database?: string;
  ssl?: SslSettings;
}

export class OptionFileError extends Error {}

const GROUPS = new Set(['client', 'mysql']);
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', s: ' ', '\\': '\\', '"': '"', "'": "'" };

/** A value as my.cnf writes it: quoted (escapes inside double quotes), or bare up to a ` #` comment. */
function parseValue(raw: string): string {
  const v = raw.trim();
  const q = v[0];
  if (q === '"' || q === "'") {
    let out = '';
    for (let i = 1; i < v.length; i++) {
      const c = v[i];
      if (c === q) return out;
      if (c === '\\' && q === '"' && i + 1 < v.length) {
        const next = v[++i];
        out += ESCAPES[next] ?? `\\${next}`;
      } else out += c;
    }
  }
  const comment = v.search(/\s#/);
  return (comment === -1 ? v : v.slice(0, comment)).trimEnd().replace(/\\(.)/g, (m, c: string) => ESCAPES[c] ?? m);
}

/** Parses the text of an option file. */
export function parseOptionFile(text: string, name = 'option file'): ClientOptions {
  const out: ClientOptions = {};
  let group = '';
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('!')) throw new OptionFileError(`${name}:${i + 1}: ${line.split(/\s/)[0]} is not supported here; put the settings in the file itself`);
    const section = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (section) {
      group = section[1].toLowerCase();
      continue;
    }
    if (!GROUPS.has(group)) continue;
    const eq = line.indexOf('=');
    // loose-NAME: NAME for a client that knows it (MariaDB's clients refuse ssl-mode, but not loose-ssl-mode).
    const key = (eq === -1 ? line : line.slice(0, eq)).trim().toLowerCase().replace(/-/g, '_').replace(/^loose_/, '');
    if (eq === -1) continue;
    const value = parseValue(line.slice(eq + 1));
    switch (key) {
      case 'port':
        if (!/^[0-9]{1,5}$/.test(value)) throw new OptionFileError(`${name}:${i + 1}: port is not a number`);
        out.port = Number(value);
        break;
      case 'user':
      case 'password':
      case 'host':
      case 'socket':
      case 'database':
        out[key] = value;
        break;
      default:
        if (key === 'ssl' || key.startsWith('ssl_')) out.ssl = sslSetting(out.ssl ?? {}, key, value, `${name}:${i + 1}`);
    }
  }
  return out;
}

const SSL_MODES: readonly SslMode[] = ['DISABLED', 'REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY'];

function sslMode(value: string): SslMode {
  const mode = SSL_MODES.find((m) => m === value);
  if (mode === undefined) throw new OptionFileError(`ssl-mode must be DISABLED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY, not ${value}`);
  return mode;
}

/** One ssl* setting (KEY with '_' for '-') into SSL; refuses what the pool cannot honour. */
function sslSetting(ssl: SslSettings, key: string, value: string, where: string): SslSettings {
  const on = !/^(0|off|false)$/i.test(value);
  switch (key) {
    case 'ssl_ca':
    case 'ssl_cert':
    case 'ssl_key':
      return { ...ssl, [key.slice(4)]: value };
    case 'ssl_mode': {
      const mode = value.toUpperCase();
      if (mode === 'PREFERRED') throw new OptionFileError(`${where}: ssl-mode=PREFERRED is not supported by serve.js (it cannot fall back to an unencrypted connection): use REQUIRED, VERIFY_CA, VERIFY_IDENTITY or DISABLED`);
      try {
        return { ...ssl, mode: sslMode(mode) };
      } catch (e) {
        throw new OptionFileError(`${where}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    case 'ssl_verify_server_cert':
      return on ? { ...ssl, mode: 'VERIFY_IDENTITY' } : ssl;
    case 'ssl':
      return { ...ssl, mode: on ? (ssl.mode ?? 'REQUIRED') : 'DISABLED' };
    default:
      throw new OptionFileError(`${where}: ${key.replace(/_/g, '-')} is not supported by serve.js (it takes ssl-ca, ssl-cert, ssl-key, ssl-mode): remove it, or serve without it`);
  }
}

/**
 * The pool's TLS options for SSL (relative file names from the working
 * directory, as the mysql client reads them), or undefined
 * for none. As MySQL's clients do: no mode but a CA means VERIFY_CA, only a
 * client certificate means REQUIRED; VERIFY_CA and VERIFY_IDENTITY need ssl-ca.
 */
export function poolSsl(ssl: SslSettings | undefined, where = 'option file'): PoolSsl | undefined {
  if (ssl === undefined) return undefined;
  const mode = ssl.mode ?? (ssl.ca !== undefined ? 'VERIFY_CA' : ssl.cert !== undefined || ssl.key !== undefined ? 'REQUIRED' : 'DISABLED');
  if (mode === 'DISABLED') return undefined;
  if (mode !== 'REQUIRED' && ssl.ca === undefined) throw new OptionFileError(`${where}: ssl-mode=${mode} needs ssl-ca (the CA that signed the server's certificate)`);
  if ((ssl.cert === undefined) !== (ssl.key === undefined)) throw new OptionFileError(`${where}: ssl-cert and ssl-key go together`);
  const read = (file: string | undefined, what: string): Buffer | undefined => {
    if (file === undefined) return undefined;
    try {
      return fs.readFileSync(path.resolve(file));
    } catch (e) {
      throw new OptionFileError(`${where}: cannot read ${what} ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return {
    ca: read(ssl.ca, 'ssl-ca'),
    cert: read(ssl.cert, 'ssl-cert'),
    key: read(ssl.key, 'ssl-key'),
    rejectUnauthorized: mode !== 'REQUIRED',
    verifyIdentity: mode === 'VERIFY_IDENTITY',
  };
}

/** Reads the file; warns (once, without the contents) when group or others may read it, as the job does. */
export function readOptionFile(file: string, warn: (message: string) => void): ClientOptions {
  const st = fs.statSync(file);
  if ((st.mode & 0o077) !== 0) {
    warn(`WARNING: ${file} is accessible by group/others (mode ${(st.mode & 0o777).toString(8)}); it holds the database password: chmod 600 it`);
  }
  const options = parseOptionFile(fs.readFileSync(file, 'utf8'), file);
  // Checked now (mode, files readable): a bad TLS setting is a clear error at start, not a failed query.
  poolSsl(options.ssl, file);
  return options;
}
