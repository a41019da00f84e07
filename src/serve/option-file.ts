/**
 * The job's MySQL option file (`--db-defaults-file`), read for mysql2, which
 * cannot read my.cnf itself. Only what a client connection needs, from the
 * `[client]` group (and `[mysql]`, which the job's clients also read): user,
 * password, host, port, socket, database. Comments (`#`, `;`), quoted values
 * and the usual escapes are handled; `!include` / `!includedir` are refused
 * rather than silently ignored. The password is never logged.
 */
import * as fs from 'node:fs';

export interface ClientOptions {
  user?: string;
  password?: string;
  host?: string;
  port?: number;
  socket?: string;
  database?: string;
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
    const key = (eq === -1 ? line : line.slice(0, eq)).trim().toLowerCase().replace(/-/g, '_');
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
    }
  }
  return out;
}

/** Reads the file; warns (once, without the contents) when group or others may read it, as the job does. */
export function readOptionFile(file: string, warn: (message: string) => void): ClientOptions {
  const st = fs.statSync(file);
  if ((st.mode & 0o077) !== 0) {
    warn(`WARNING: ${file} is accessible by group/others (mode ${(st.mode & 0o777).toString(8)}); it holds the database password: chmod 600 it`);
  }
  return parseOptionFile(fs.readFileSync(file, 'utf8'), file);
}
