/**
 * Load during the swap (npm run bench:serve-swap; issue 28 item 2): dist/serve.js
 * under steady concurrent load (8 loops: /api/related/<id>?n=10, and / one
 * request in 5) while (a) the job (./run-job.sh --input, importing) swaps a
 * new table into a private MariaDB twice, and (b) the --result file is
 * replaced and reloaded (SIGHUP) twice. Counts answers that are not a 200 or
 * hold neither the old list nor the new one, and prints latencies overall and
 * during the swaps (from the job's start to its end; from the SIGHUP to the
 * reloaded file's answer). Not a test: timings live here.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { Answer, quantile, SteadyLoad } from '../test/helpers/steady-load';
import { benchEnv } from './measure';
import { ROOT } from './paths';
import { q } from './shell';

const PATHS = Number(process.env.VP_BENCH_SWAP_PATHS ?? 20_000);
const PRODUCTS = 2000;

function sh(script: string): string {
  const r = spawnSync('bash', ['-c', `set -Eeuo pipefail\n${script}`], { cwd: ROOT, env: benchEnv(), encoding: 'latin1', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`step failed: ${script.slice(0, 300)}\n${r.stderr}`);
  return r.stdout;
}

function views(seed: number): string {
  let s = seed;
  const rand = (n: number): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.floor(s / 65536) % n;
  };
  const out: string[] = [];
  for (let p = 0; p < PATHS; p++) for (let i = 2 + rand(5); i > 0; i--) out.push(`${1000 + p}\titem-${rand(PRODUCTS)}\n`);
  for (let i = 0; i < PRODUCTS; i++) out.push(`${1000 + PATHS + i}\titem-${i}\n${1000 + PATHS + i}\titem-${(i + 1) % PRODUCTS}\n`);
  return out.join('');
}

/** source -> its first 10 targets joined, from `source<TAB>target...` lines already in rank order. */
function listsOf(lines: string): Map<string, string> {
  const lists = new Map<string, string[]>();
  for (const line of lines.split('\n')) {
    if (line === '') continue;
    const [src, t] = line.split('\t');
    const l = lists.get(src) ?? [];
    if (l.length < 10) l.push(t);
    lists.set(src, l);
  }
  return new Map([...lists].map(([k, l]) => [k, l.join(',')]));
}

/** Answers that are not a 200, and lists that are empty or neither the old nor the new (bodies[i] is answers[i]'s). */
function judge(answers: Answer[], bodies: string[], states: Map<string, string>[]): { bad: number; empty: number } {
  let bad = 0;
  let empty = 0;
  answers.forEach((a, i) => {
    const body = bodies[i];
    if (a.status !== 200) bad++;
    else if (a.path === '/') empty += body.includes('href="/products/') ? 0 : 1;
    else {
      const id = decodeURIComponent(a.path.slice('/api/related/'.length).split('?')[0]);
      const got = ((JSON.parse(body) as { related: { product: string }[] }).related ?? []).map((e) => e.product).join(',');
      if (got === '') empty++;
      else if (!states.some((st) => st.get(id) === got)) bad++;
    }
  });
  return { bad, empty };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...benchEnv(), ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err.slice(-2000)}`))));
  });
}

interface Serve {
  url: string;
  proc: ChildProcess;
}

function startServe(args: string[]): Promise<Serve> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(ROOT, 'dist', 'serve.js'), '--port', '0', ...args], { env: benchEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ url: out.split('\n')[0], proc });
    });
    proc.on('exit', (code) => reject(new Error(`serve.js exited ${code}`)));
  });
}

function stopServe(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    proc.removeAllListeners('exit');
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Load on `ids` and /, with each swap run in turn (2 s of load before, between and after); the answers, bodies and swap windows. */
async function underLoad(url: string, ids: string[], swaps: (() => Promise<void>)[]): Promise<{ answers: Answer[]; bodies: string[]; windows: [number, number][] }> {
  const bodies: string[] = [];
  const load = new SteadyLoad(url, (i) => (i % 5 === 4 ? '/' : `/api/related/${encodeURIComponent(ids[i % ids.length])}?n=10`), (_p, _s, body) => {
    bodies.push(body);
    return null;
  });
  const windows: [number, number][] = [];
  await pause(2000);
  for (const swap of swaps) {
    const from = load.now();
    await swap();
    windows.push([from, load.now()]);
    await pause(2000);
  }
  return { answers: await load.stop(), bodies, windows };
}

function row(label: string, r: { answers: Answer[]; windows: [number, number][] }, verdict: { bad: number; empty: number }): string {
  const during = r.answers.filter((a) => r.windows.some(([f, t]) => a.at >= f && a.at <= t));
  const n = (x: number): string => x.toLocaleString('en-US');
  const ms = (x: number): string => x.toFixed(1);
  return `| ${label} | ${n(r.answers.length)} | ${verdict.bad} | ${verdict.empty} | ${ms(quantile(r.answers, 0.5))} | ${ms(quantile(r.answers, 0.99))} | ${n(during.length)} | ${ms(quantile(during, 0.99))} | ${ms(Math.max(0, ...during.map((a) => a.ms)))} |`;
}

async function mariadbSwaps(dir: string, input: (seed: number) => string): Promise<string> {
  const dbDir = path.join(dir, 'db');
  try {
    sh(`bench/peers/mariadb-server.sh start ${q(dbDir)}`);
    const root = `mariadb --no-defaults --socket=${q(path.join(dbDir, 'mysqld.sock'))} -uroot`;
    const password = randomBytes(12).toString('hex');
    const setup = path.join(dir, 'setup.sql');
    const schema = fs.readFileSync(path.join(ROOT, 'db', 'schema.sql'), 'utf8');
    fs.writeFileSync(setup, `CREATE DATABASE shop; CREATE DATABASE shop_staging; USE shop;\n${schema}\nCREATE USER 'job'@'localhost' IDENTIFIED BY '${password}'; GRANT ALL ON shop.* TO 'job'@'localhost'; GRANT ALL ON \`shop\\_staging\`.* TO 'job'@'localhost';\n`, { mode: 0o600 });
    sh(`${root} < ${q(setup)}`);
    fs.rmSync(setup);
    const cnf = path.join(dir, 'job.cnf');
    fs.writeFileSync(cnf, `[client]\nuser=job\npassword=${password}\nsocket=${path.join(dbDir, 'mysqld.sock')}\n`, { mode: 0o600 });
    const job = (seed: number): Promise<void> =>
      run('./run-job.sh', ['--input', input(seed), '--db-defaults-file', cnf, '--database', 'shop', '--force'], { VP_LOCK_FILE: path.join(dir, 'job.lock'), TMPDIR: dir });
    const snapshot = (): Map<string, string> =>
      listsOf(sh(`${root} -N -B shop -e 'SELECT source_product_id, target_product_id FROM viewed_products WHERE list_rank <= 10 ORDER BY source_product_id, list_rank'`));
    await job(1);
    const states = [snapshot()];
    const s = await startServe(['--db-defaults-file', cnf, '--database', 'shop']);
    try {
      const r = await underLoad(s.url, [...states[0].keys()], [2, 1].map((seed) => async () => {
        await job(seed);
        states.push(snapshot());
      }));
      return row('MariaDB: the job imports and swaps the table, twice', r, judge(r.answers, r.bodies, states));
    } finally {
      await stopServe(s.proc);
    }
  } finally {
    spawnSync('bash', [path.join(ROOT, 'bench/peers/mariadb-server.sh'), 'stop', dbDir], { stdio: 'inherit' });
  }
}

async function fileSwaps(dir: string, input: (seed: number) => string): Promise<string> {
  const results: string[] = [];
  for (const seed of [1, 2]) {
    const out = path.join(dir, `out-${seed}`);
    await run('./run-job.sh', ['--input', input(seed), '--output', out], { TMPDIR: dir });
    results.push(path.join(out, 'viewed_products.tsv'));
  }
  // The file is in line order, not rank order: rank each list first.
  const ranked = (f: string): Map<string, string> => listsOf(sh(`LC_ALL=C sort -t $'\\t' -k1,1 -k3,3nr -k2,2 ${q(f)}`));
  const states = results.map(ranked);
  const live = path.join(dir, 'live.tsv');
  fs.copyFileSync(results[0], live);
  const s = await startServe(['--result', live]);
  try {
    const rowsOf = (f: string): number => fs.readFileSync(f).toString().split('\n').length - 1;
    const r = await underLoad(s.url, [...states[0].keys()], [results[1], results[0]].map((from) => async () => {
      fs.copyFileSync(from, `${live}.tmp`);
      fs.renameSync(`${live}.tmp`, live);
      s.proc.kill('SIGHUP');
      for (let i = 0; i < 6000; i++) {
        const h = (await (await fetch(`${s.url}healthz`)).json()) as { rows: number; reloading: boolean };
        if (h.rows === rowsOf(from) && !h.reloading) return;
        await pause(10);
      }
      throw new Error('the reload did not finish');
    }));
    return row('file: replaced and reloaded (SIGHUP), twice', r, judge(r.answers, r.bodies, states));
  } finally {
    await stopServe(s.proc);
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'vp-bench-swap-'));
  try {
    const input = (seed: number): string => {
      const f = path.join(dir, `views-${seed}.tsv`);
      if (!fs.existsSync(f)) fs.writeFileSync(f, views(seed));
      return f;
    };
    process.stderr.write(`bench-serve-swap: ${PATHS} paths over ${PRODUCTS} products, load average ${loadavg()[0].toFixed(2)}\n`);
    const rows = [await fileSwaps(dir, input), await mariadbSwaps(dir, input)];
    process.stdout.write(
      [
        `Steady load during the swap: 8 loops of GET /api/related/<id>?n=10 (and / one request in 5), ${PATHS.toLocaleString('en-US')} paths over ${PRODUCTS} products; "during" = from the swap's start (the job's start; the SIGHUP) to its end; ms:`,
        '',
        '| swap | answers | non-200 or neither list | empty | p50 | p99 | answers during | p99 during | max during |',
        '|---|---|---|---|---|---|---|---|---|',
        ...rows,
        '',
      ].join('\n'),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench-serve-swap: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
