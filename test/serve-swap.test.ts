/**
 * Issue 28 items 2 and 3: the lists replaced under live traffic. serve.js
 * under steady concurrent load on /api/related and / while (a) its --result
 * file is replaced (written aside, renamed in, SIGHUP) twice, and (b) the job
 * imports and swaps a new MariaDB table twice: every answer is a 200 with the
 * old list or the new one, never empty. And --output renames the result into
 * place from its own folder, so a reader never sees part of it.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, sh, tmpDir } from './helpers/exec';
import { jobDatabase } from './helpers/mariadb-shared';
import { startServer } from './helpers/serve';
import { SteadyLoad } from './helpers/steady-load';
import { describeIf } from './helpers/suite';
import { missingMariaDb } from './helpers/tools';

jest.setTimeout(300_000);

const dir = tmpDir('vp-serve-swap-');

/** Deterministic views: `paths` paths of 2-6 of `products` products, by seed, and one path pairing each product with the next (so each has a list). */
function views(seed: number, paths: number, products: number): string {
  let s = seed;
  const rand = (n: number): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.floor(s / 65536) % n;
  };
  const out: string[] = [];
  for (let p = 0; p < paths; p++) {
    const len = 2 + rand(5);
    for (let i = 0; i < len; i++) out.push(`${1000 + p}\titem-${rand(products)}\n`);
  }
  for (let i = 0; i < products; i++) out.push(`${1000 + paths + i}\titem-${i}\n${1000 + paths + i}\titem-${(i + 1) % products}\n`);
  return out.join('');
}

/** Bodies of the answers, by path, for judging once every state of the lists is known. */
type Seen = { path: string; status: number; body: string }[];

/** The targets of an /api/related answer, joined; '' for anything else. */
function targets(body: string): string {
  try {
    const b = JSON.parse(body) as { related?: { product: string }[] };
    return (b.related ?? []).map((e) => e.product).join(',');
  } catch {
    return '';
  }
}

/** Every answer a 200: /api/related with one of `states`' lists for that product (never empty), / with products listed. */
function expectOldOrNew(seen: Seen, states: Map<string, string>[]): void {
  const wrong = seen.filter(({ path: p, status, body }) => {
    if (status !== 200) return true;
    if (p === '/') return !body.includes('href="/products/');
    const id = decodeURIComponent(p.slice('/api/related/'.length).split('?')[0]);
    const got = targets(body);
    return got === '' || !states.some((s) => s.get(id) === got);
  });
  expect(wrong.slice(0, 3).map((w) => ({ ...w, body: w.body.slice(0, 200) }))).toEqual([]);
  expect(seen.filter((s) => s.path === '/').length).toBeGreaterThan(0);
}

/** Load on product pages of `ids` (n=10) and, one request in 5, the home page. */
function startLoad(url: string, ids: string[], seen: Seen): SteadyLoad {
  return new SteadyLoad(
    url,
    (i) => (i % 5 === 4 ? '/' : `/api/related/${encodeURIComponent(ids[i % ids.length])}?n=10`),
    (p, status, body) => {
      seen.push({ path: p, status, body });
      return null;
    },
  );
}

/** Each source's first 10 targets in a result file (ranked by count desc, then target bytes). */
function fileLists(file: string): Map<string, string> {
  const lists = new Map<string, { t: string; c: number }[]>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    const [s, t, c] = line.split('\t');
    lists.set(s, [...(lists.get(s) ?? []), { t, c: Number(c) }]);
  }
  return new Map([...lists].map(([s, l]) => [s, l.sort((a, b) => b.c - a.c || (a.t < b.t ? -1 : a.t > b.t ? 1 : 0)).slice(0, 10).map((r) => r.t).join(',')]));
}

async function waitFor(what: string, ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** ./run-job.sh with args; its exit code and stderr. */
function runJob(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'run-job.sh'), args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('--output and serve.js --result', () => {
  test('--output moves the result to a temporary name in the target folder, then renames it', () => {
    const input = path.join(dir, 'views-a.tsv');
    fs.writeFileSync(input, views(1, 300, 40));
    const shim = path.join(dir, 'shim');
    const log = path.join(dir, 'mv.log');
    fs.mkdirSync(shim);
    const realMv = sh('command -v mv').stdout.trim();
    fs.writeFileSync(path.join(shim, 'mv'), `#!/bin/bash\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realMv}' "$@"\n`, { mode: 0o755 });
    const out = path.join(dir, 'out');
    const r = sh(`PATH='${shim}':"$PATH" ./run-job.sh --input '${input}' --output '${out}'`);
    expect(r.code).toBe(0);
    const final = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.endsWith(`${out}/viewed_products.tsv`));
    expect(final).toEqual([expect.stringMatching(new RegExp(`-- ${out}/\\.viewed_products\\.tsv\\.\\w+ ${out}/viewed_products\\.tsv$`))]);
    expect(fs.readdirSync(out)).toEqual(['viewed_products.tsv']);
  });

  test('under steady load, the file replaced and reloaded (SIGHUP) twice: every answer the old list or the new one', async () => {
    const a = path.join(dir, 'result-a.tsv');
    const b = path.join(dir, 'result-b.tsv');
    for (const [file, seed] of [[a, 3], [b, 4]] as const) {
      const input = path.join(dir, `views-${seed}.tsv`);
      fs.writeFileSync(input, views(seed, 4000, 400));
      const out = path.join(dir, `out-${seed}`);
      expect(sh(`./run-job.sh --input '${input}' --output '${out}'`).code).toBe(0);
      fs.renameSync(path.join(out, 'viewed_products.tsv'), file);
    }
    const states = [fileLists(a), fileLists(b)];
    const ids = [...states[0].keys()].filter((id) => states[1].has(id) && states[0].get(id) !== states[1].get(id));
    expect(ids.length).toBeGreaterThan(100);
    const live = path.join(dir, 'live.tsv');
    fs.copyFileSync(a, live);
    const s = await startServer(['--result', live]);
    const seen: Seen = [];
    const load = startLoad(s.url, ids, seen);
    try {
      for (const [from, rows] of [[b, 1], [a, 0]] as const) {
        const want = fs.readFileSync(from).toString().split('\n').length - 1;
        fs.copyFileSync(from, `${live}.tmp`);
        fs.renameSync(`${live}.tmp`, live);
        const before = seen.length;
        s.proc.kill('SIGHUP');
        await waitFor(`the reload of state ${rows}`, async () => ((await (await fetch(`${s.url}healthz`)).json()) as { rows: number }).rows === want && seen.length > before + 200);
      }
    } finally {
      await load.stop();
      expect(await s.stop()).toBe(0);
    }
    expectOldOrNew(seen, states);
    expect(s.stderr().match(/reloaded \d+ products' lists/g)?.length).toBe(2);
  });
});

describeIf(missingMariaDb(), 'serve.js from MariaDB while the job swaps the table', () => {
  test('under steady load, two imports (each a RENAME swap): every answer the old list or the new one', async () => {
    const DB = 'vp_serve_swap';
    const { db, job } = await jobDatabase(DB);
    const env = { VP_LOCK_FILE: path.join(dir, 'job.lock'), TMPDIR: dir };
    const jobArgs = (seed: number): string[] => {
      const input = path.join(dir, `db-views-${seed}.tsv`);
      fs.writeFileSync(input, views(seed, 4000, 400));
      return ['--input', input, '--db-defaults-file', job.optionFile, '--database', DB, '--force'];
    };
    const snapshot = (): Map<string, string> => {
      const lists = new Map<string, string[]>();
      for (const line of db.sql('SELECT source_product_id, target_product_id FROM viewed_products WHERE list_rank <= 10 ORDER BY source_product_id, list_rank', DB).split('\n')) {
        if (line === '') continue;
        const [src, t] = line.split('\t');
        lists.set(src, [...(lists.get(src) ?? []), t]);
      }
      return new Map([...lists].map(([k, l]) => [k, l.join(',')]));
    };
    expect(await runJob(jobArgs(5), env)).toMatchObject({ code: 0 });
    const states = [snapshot()];
    const ids = [...states[0].keys()];
    const s = await startServer(['--db-defaults-file', job.optionFile, '--database', DB]);
    const seen: Seen = [];
    const load = startLoad(s.url, ids, seen);
    try {
      for (const seed of [6, 5]) {
        const r = await runJob(jobArgs(seed), env);
        expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
        states.push(snapshot());
      }
      const before = seen.length;
      await waitFor('answers after the second swap', () => Promise.resolve(seen.length > before + 200));
    } finally {
      await load.stop();
      expect(await s.stop()).toBe(0);
    }
    expect(states[1]).not.toEqual(states[0]);
    expectOldOrNew(seen, states);
  });
});
