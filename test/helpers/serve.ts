/**
 * Test helpers for dist/serve.js: start the real server process on a free
 * port (--port 0, the URL read from its stdout), an independent reference
 * of the lists a result file holds, and the byte-wise URL encoding of ids.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST } from './exec';

export interface Server {
  url: string;
  proc: ChildProcess;
  stderr: () => string;
  /** SIGTERM; resolves with the exit code. */
  stop: () => Promise<number | null>;
}

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs serve.js expecting it to exit (bad options, bad files). */
export function runServeToExit(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(DIST, 'serve.js'), ...args], { env });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    proc.on('error', reject);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function startServer(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Server> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(DIST, 'serve.js'), '--port', '0', ...args], { env });
    let out = '';
    let err = '';
    const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl === -1) return;
      resolve({
        url: out.slice(0, nl),
        proc,
        stderr: () => err,
        stop: () => {
          proc.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then((code) => reject(new Error(`serve.js exited (${code}) before listening:\n${err}`)));
  });
}

/** Every byte outside A-Z a-z 0-9 - . _ ~ as %XX. */
export function pct(id: Buffer): string {
  return [...id].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

export interface RefRow {
  target: Buffer;
  count: bigint;
  score: number | null;
}

/** A result file's lists, each best first: score desc (when given), count desc, target bytes asc. */
export function referenceLists(file: string): Map<string, RefRow[]> {
  const lists = new Map<string, RefRow[]>();
  const data = fs.readFileSync(file);
  let start = 0;
  while (start < data.length) {
    let end = data.indexOf(10, start);
    if (end === -1) end = data.length;
    const f: Buffer[] = [];
    for (let s = start; s <= end; ) {
      let t = data.indexOf(9, s);
      if (t === -1 || t > end) t = end;
      f.push(data.subarray(s, t));
      s = t + 1;
    }
    if (end > start) {
      const key = f[0].toString('hex');
      const row = { target: Buffer.from(f[1]), count: BigInt(f[2].toString()), score: f.length > 3 ? Number(f[3].toString()) : null };
      const list = lists.get(key);
      if (list) list.push(row);
      else lists.set(key, [row]);
    }
    start = end + 1;
  }
  for (const list of lists.values()) {
    list.sort(
      (a, b) =>
        (a.score !== null && b.score !== null ? b.score - a.score : 0) ||
        (a.count === b.count ? 0 : a.count > b.count ? -1 : 1) ||
        Buffer.compare(a.target, b.target),
    );
  }
  return lists;
}

/** The id bytes a JSON entry stands for: `product_url` (percent-encoded bytes) when given, else the UTF-8 text. */
export function jsonId(entry: { product: string; product_url?: string }): Buffer {
  if (entry.product_url === undefined) return Buffer.from(entry.product, 'utf8');
  return Buffer.from(entry.product_url.replace(/%([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
}
