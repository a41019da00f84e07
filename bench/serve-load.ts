/**
 * A bounded load run of dist/serve.js on loopback (npm run bench:serve):
 * GET /api/related/<id>?n=10 over every MovieLens product in turn, a fixed
 * number of requests with autocannon, from the result file and from a
 * private MariaDB holding the same lists with list_rank. Prints a markdown
 * table for bench/RESULTS.md. Not part of the tests: timings live here.
 */
import autocannon from 'autocannon';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { rankedLists } from '../src/core/rank/result-row';
import { benchEnv } from './measure';
import { fillVariants, median, ROUNDS, Variant } from './serve-fill';
import { q } from './shell';

const ROOT = path.resolve(__dirname, '..', '..');
const DATA = path.resolve(ROOT, '..', 'shared', 'data', 'movielens-100k-u.data.tsv');
const REQUESTS = Number(process.env.VP_BENCH_REQUESTS ?? 50_000);
const CONNECTIONS = 10;

function sh(script: string): string {
  const r = spawnSync('bash', ['-c', `set -Eeuo pipefail\n${script}`], { cwd: ROOT, env: benchEnv(), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`step failed: ${script}\n${r.stderr}`);
  return r.stdout;
}

/** The result file's rows with their list_rank (the job's ranking, src/core/rank/result-row.ts), as LOAD DATA lines. */
function rankedLines(result: string): { ids: string[]; lines: Buffer } {
  const lists = rankedLists(fs.readFileSync(result));
  const out: string[] = [];
  for (const [s, list] of lists) list.forEach((r, i) => out.push(`${s}\t${r.target}\t${r.count}\t${r.scoreText ?? '\\N'}\t${i + 1}\n`));
  return { ids: [...lists.keys()], lines: Buffer.from(out.join(''), 'latin1') };
}

function startServe(args: string[]): Promise<{ url: string; proc: ChildProcess }> {
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

interface Load {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
}

async function load(url: string, ids: string[], amount: number, query = ''): Promise<Load> {
  let i = 0;
  const paths = ids.map((id) => `/api/related/${encodeURIComponent(id)}?n=10${query}`);
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    amount,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }],
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, errors: r.errors + r.non2xx + r.timeouts };
}

async function measureOnce(label: string, args: string[], ids: string[], query = ''): Promise<Load> {
  const { url, proc } = await startServe(args);
  try {
    await load(url, ids, Math.min(5_000, REQUESTS), query); // warm-up: JIT, connections, the database's buffer pool
    const m = await load(url, ids, REQUESTS, query);
    if (m.errors !== 0) throw new Error(`${label}: ${m.errors} failed requests`);
    return m;
  } finally {
    await stopServe(proc);
  }
}

function row(label: string, m: Load): string {
  return `| ${label} | ${REQUESTS.toLocaleString('en-US')} | ${Math.round(m.rps).toLocaleString('en-US')} | ${m.p50} | ${m.p99} | ${m.max} |`;
}

async function measure(label: string, args: string[], ids: string[]): Promise<string> {
  return row(label, await measureOnce(label, args, ids));
}

/** The filters-and-fallbacks variants, interleaved ROUNDS times: one row each (median requests/s, the median round's latencies) and the ratio to the first. */
async function measureFill(source: string, args: string[], ids: string[], variants: Variant[], fillRows: string[]): Promise<void> {
  const runs: Load[][] = variants.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [v, variant] of variants.entries()) runs[v].push(await measureOnce(`${source}, ${variant.label}`, [...args, ...variant.args], ids, variant.query));
  }
  const base = median(runs[0].map((m) => m.rps));
  for (const [v, variant] of variants.entries()) {
    const rps = median(runs[v].map((m) => m.rps));
    const mid = [...runs[v]].sort((a, b) => a.rps - b.rps)[Math.floor((runs[v].length - 1) / 2)];
    fillRows.push(`${row(`${source}, ${variant.label}`, { ...mid, rps })} ${(rps / base).toFixed(3)} |`);
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'vp-bench-serve-'));
  const db = path.join(dir, 'db');
  const rows: string[] = [];
  const fillRows: string[] = [];
  try {
    const result = path.join(dir, 'viewed_products.tsv');
    sh(`cut -f1,2 ${q(DATA)} | dist/identity-mapper.js | LC_ALL=C sort | dist/pairs-reducer.js | dist/identity-mapper.js | LC_ALL=C sort | dist/sum-reducer.js > ${q(result)} 2>/dev/null`);
    const { ids, lines } = rankedLines(result);
    process.stderr.write(`bench-serve: ${ids.length} products, load average ${loadavg()[0].toFixed(2)}\n`);
    rows.push(await measure('file (`--result`)', ['--result', result], ids));
    const variants = fillVariants(dir, ids);
    await measureFill('file', ['--result', result], ids, variants, fillRows);

    const load = path.join(dir, 'ranked.tsv');
    fs.writeFileSync(load, lines);
    sh(`bench/peers/mariadb-server.sh start ${q(db)}`);
    const password = randomBytes(12).toString('hex');
    const root = `mariadb --no-defaults --socket=${q(path.join(db, 'mysqld.sock'))} -uroot --local-infile=1`;
    // The SQL (with the password) goes through a private file, never a command line.
    const setup = path.join(dir, 'setup.sql');
    fs.writeFileSync(setup, `CREATE DATABASE shop;
CREATE TABLE shop.viewed_products (source_product_id VARBINARY(255) NOT NULL, target_product_id VARBINARY(255) NOT NULL,
  count INT UNSIGNED NOT NULL, score DOUBLE NULL, list_rank INT UNSIGNED NOT NULL,
  PRIMARY KEY (source_product_id, list_rank), UNIQUE KEY (source_product_id, target_product_id)) ENGINE=InnoDB;
LOAD DATA LOCAL INFILE '${load}' INTO TABLE shop.viewed_products CHARACTER SET binary;
CREATE USER 'web'@'localhost' IDENTIFIED BY '${password}';
GRANT SELECT ON shop.viewed_products TO 'web'@'localhost';
`, { mode: 0o600 });
    sh(`${root} < ${q(setup)}`);
    fs.rmSync(setup);
    const plan = sh(`${root} -N -e "EXPLAIN SELECT target_product_id, count, score FROM shop.viewed_products WHERE source_product_id = '50' ORDER BY list_rank LIMIT 10"`);
    process.stderr.write(`bench-serve: EXPLAIN: ${plan}`);
    const cnf = path.join(dir, 'web.cnf');
    fs.writeFileSync(cnf, `[client]\nuser=web\npassword=${password}\nsocket=${path.join(db, 'mysqld.sock')}\n`, { mode: 0o600 });
    rows.push(await measure('MariaDB (`--database`)', ['--db-defaults-file', cnf, '--database', 'shop'], ids));
    await measureFill('MariaDB', ['--db-defaults-file', cnf, '--database', 'shop'], ids, variants, fillRows);
  } finally {
    spawnSync('bash', [path.join(ROOT, 'bench/peers/mariadb-server.sh'), 'stop', db], { stdio: 'inherit' });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(
    [
      `GET /api/related/<id>?n=10 over all MovieLens products in turn, ${CONNECTIONS} connections, autocannon in the same machine:`,
      '',
      '| source | requests | requests/s | p50 ms | p99 ms | max ms |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
      `Filters and fallbacks (docs/serving.md): the same load with a catalog, without and with facts; median of ${ROUNDS} interleaved rounds:`,
      '',
      '| source, catalog | requests | requests/s | p50 ms | p99 ms | max ms | × before |',
      '|---|---|---|---|---|---|---|',
      ...fillRows,
      '',
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench-serve: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
