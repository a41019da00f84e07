/**
 * The file server at store scale (npm run bench:serve-file): a result file of
 * `--top 100` lists over 200,000 products (about 15M rows, sorted by line as
 * the job writes it), generated once into .cache/bench/store/. Measures
 * dist/serve.js --result: seconds to load (start to the printed URL), RSS and
 * peak RSS after loading and after a crawl of CRAWL products' /api/related,
 * against the file's size. VP_BENCH_SERVE_OTHER=path/to/serve.js measures
 * another build beside it (e.g. main's), side by side in one run.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { benchEnv } from './measure';
import { ROOT } from './paths';

const PRODUCTS = Number(process.env.VP_BENCH_PRODUCTS ?? 200_000);
const CRAWL = Number(process.env.VP_BENCH_CRAWL ?? 20_000);
const CONNECTIONS = 8;

const id = (i: number): string => `P${String(i * 7 + 1_000_003).padStart(8, '0')}`;

/** The result file: product i's list has 1..100 rows (about 75 on average), counts falling with rank. */
function resultFile(): string {
  const dir = path.join(ROOT, '.cache', 'bench', 'store');
  const file = path.join(dir, `result-top100-${PRODUCTS}.tsv`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const fd = fs.openSync(`${file}.tmp`, 'w');
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let i = 0; i < PRODUCTS; i++) {
    const len = rand(10) < 3 ? 1 + rand(100) : 100;
    const targets = new Set<number>();
    while (targets.size < len) targets.add(rand(PRODUCTS));
    const src = id(i);
    const lines = [...targets].map((t) => `${src}\t${id(t)}\t${1 + rand(40)}\n`).sort();
    fs.writeSync(fd, lines.join(''));
  }
  fs.closeSync(fd);
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

function status(pid: number): { rss: number; hwm: number } {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string): number => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(text)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

function start(serve: string, file: string): Promise<{ url: string; proc: ChildProcess; seconds: number }> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [serve, '--port', '0', '--result', file], { env: benchEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ url: out.split('\n')[0], proc, seconds: Number(process.hrtime.bigint() - t0) / 1e9 });
    });
    proc.on('exit', (code) => reject(new Error(`${serve} exited ${code}`)));
  });
}

async function crawl(url: string): Promise<number> {
  let next = 0;
  let errors = 0;
  const worker = async (): Promise<void> => {
    while (next < CRAWL) {
      const i = Math.floor(((next++ * 2654435761) % 4294967296) / 4294967296 * PRODUCTS);
      const r = await fetch(`${url}api/related/${id(i)}?n=100`);
      if (r.status !== 200) errors++;
      await r.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return errors;
}

async function measure(label: string, serve: string, file: string, size: number): Promise<string> {
  const { url, proc, seconds } = await start(serve, file);
  try {
    const loaded = status(proc.pid!);
    const errors = await crawl(url);
    const crawled = status(proc.pid!);
    if (errors > 0) throw new Error(`${label}: ${errors} failed requests`);
    const mb = (x: number): string => x.toFixed(0);
    return `| ${label} | ${seconds.toFixed(1)} | ${mb(loaded.rss)} | ${mb(crawled.rss)} | ${mb(crawled.hwm)} | ${(crawled.hwm / size).toFixed(2)} |`;
  } finally {
    await new Promise<void>((resolve) => {
      proc.removeAllListeners('exit');
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  }
}

async function main(): Promise<void> {
  const file = resultFile();
  const size = fs.statSync(file).size / 2 ** 20;
  process.stderr.write(`bench-serve-file: ${file}, ${size.toFixed(0)} MB, load average ${loadavg()[0].toFixed(2)}\n`);
  const rows = [await measure('this build', path.join(ROOT, 'dist', 'serve.js'), file, size)];
  const other = process.env.VP_BENCH_SERVE_OTHER;
  if (other) rows.push(await measure(`other (${other})`, other, file, size));
  process.stdout.write(
    [
      `serve.js --result over ${PRODUCTS.toLocaleString('en-US')} products' --top 100 lists (${size.toFixed(0)} MB), then ${CRAWL.toLocaleString('en-US')} GET /api/related/<id>?n=100, ${CONNECTIONS} at a time:`,
      '',
      '| build | load s | RSS loaded MB | RSS after crawl MB | peak RSS MB | peak / file size |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench-serve-file: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
