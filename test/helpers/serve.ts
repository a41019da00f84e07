/**
 * Test helpers for dist/serve.js: start the real server process on a free
 * port (--port 0, the URL read from its stdout), an independent reference
 * of the lists a result file holds, and the byte-wise URL encoding of ids.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataViews, DIST, sh } from './exec';
import { compareRanked, Ranked } from './ranking-reference';

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
  // The tests' one reference ranking; a file without scores ranks by count.
  const ranked = (r: RefRow): Ranked => ({ target: r.target, count: String(r.count), score: r.score ?? Number(r.count) });
  for (const list of lists.values()) list.sort((a, b) => compareRanked(ranked(a), ranked(b)));
  return lists;
}

/** The id bytes a JSON entry stands for: `product_url` (percent-encoded bytes) when given, else the UTF-8 text. */
export function jsonId(entry: { product: string; product_url?: string }): Buffer {
  if (entry.product_url === undefined) return Buffer.from(entry.product, 'utf8');
  return Buffer.from(entry.product_url.replace(/%([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
}

/** The job's result file for a shared data set, through the plain pipe (made once per directory). */
export function dataResult(which: 'movielens' | 'diginetica', dir: string): string {
  const result = path.join(dir, `${which}.result.tsv`);
  if (fs.existsSync(result)) return result;
  const views = dataViews(which, dir);
  const r = sh(
    `cat '${views}' | dist/identity-mapper.js | LC_ALL=C sort | dist/pairs-reducer.js | dist/identity-mapper.js | LC_ALL=C sort | dist/sum-reducer.js > '${result}.part' 2>/dev/null && mv '${result}.part' '${result}'`,
  );
  if (r.code !== 0) throw new Error(`the plain pipe failed on ${which}: ${r.stderr}`);
  return result;
}

export interface ApiEntry {
  product: string;
  product_url?: string;
  count: number;
  score?: number;
  name?: string;
}
export interface ApiBody {
  product: string;
  product_url?: string;
  related: ApiEntry[];
}

/**
 * Asks the API for every `every`-th product of the reference (in id order, at
 * n = 1, 10, 100 and the default in turn) and expects exactly its top n.
 * Returns how many products it checked.
 */
export async function expectApiEqualsReference(url: string, lists: Map<string, RefRow[]>, every: number): Promise<number> {
  const chosen = [...lists.keys()].sort().filter((_, i) => i % every === 0);
  for (const [i, key] of chosen.entries()) {
    const id = Buffer.from(key, 'hex');
    const n = [1, 10, 100, undefined][i % 4];
    const r = await fetch(`${url}api/related/${pct(id)}${n === undefined ? '' : `?n=${n}`}`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as ApiBody;
    expect(jsonId(body)).toEqual(id);
    expect(body.related.map((e) => [jsonId(e).toString('latin1'), e.count, e.score])).toEqual(
      lists.get(key)!.slice(0, n ?? 10).map((w) => [w.target.toString('latin1'), Number(w.count), w.score ?? undefined]),
    );
  }
  return chosen.length;
}
