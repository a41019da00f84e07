/**
 * The job on real Hadoop Streaming (Hadoop's LocalJobRunner) and on the local
 * runner, for the hadoop-*.test.ts suites: runs with their counters, the
 * Hadoop client's own counters, a views file of bad lines, and the pinned
 * Hadoop set up once per jest run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sh } from './exec';
import { sharedOnce } from './once';

export const REDUCERS = 3;
export const SLOW = 600_000;

/** The pinned Hadoop in .hadoop (npm run setup:hadoop), installed once per jest run. */
export const hadoopReady = sharedOnce<null>('hadoop-setup', async () => {
  const setup = sh('bash tools/setup-hadoop.sh --no-check');
  if (setup.code !== 0) throw new Error(`npm run setup:hadoop failed:\n${setup.stderr}`);
  return { value: null };
});

/** A views file full of bad lines, with the counts each skip reason must get. */
export function badLinesFile(dir: string): string {
  const lines: Buffer[] = [
    'path_id\tproduct_id', // header: skipped silently (header_lines)
    'p1\ta', 'p1\tb', 'p1\tc', 'p2\ta', 'p2\tb', 'p1\ta', // p1 a twice: one repeated view
    'p3\tb\r', 'p3\ta\r', // CRLF lines
    // ids ordered differently by key and by whole line (bytes below TAB):
    // Hadoop's part files are not in whole-line order, the final sort must fix it
    'p4\ta', 'p4\tb', 'p4\tb\x01', 'p4\tb\x01\x01', 'p4\tb\x01\x01\x01',
    'p6\ta\tb', 'a\tb\tc\td', '', 'no-tab-line', // wrong field count: 4 (two hold no TAB)
    '\ta', 'p6\t', // empty field: 2
    'NULL\ta', 'p7\tNULL', // NULL id: 2
    `${'x'.repeat(1_100_000)}\tp8`, // too long (over 1 MiB; by its path id, no cap on those): 1
    `p9\t${'y'.repeat(256)}`, // a product id over the tables' 255 bytes: 1
  ].map((s) => Buffer.from(s, 'latin1'));
  lines.push(Buffer.from([0x70, 0x35, 0x09, 0xff, 0xfe]), Buffer.from('p5\ta')); // non-UTF-8 id survives
  for (let i = 0; i <= 1000; i++) lines.push(Buffer.from(`big\t${i}`)); // 1001 products: capped
  lines.push(Buffer.from('p2\tc')); // last line without newline
  const file = path.join(dir, 'bad-lines.tsv');
  fs.writeFileSync(file, Buffer.concat(lines.flatMap((l, i) => (i === 0 ? [l] : [Buffer.from('\n'), l]))));
  return file;
}

export const BAD_LINE_COUNTERS: Record<string, number> = {
  header_lines: 1,
  duplicate_views: 1,
  skipped_wrong_field_count: 4,
  skipped_empty_field: 2,
  skipped_null_id: 2,
  skipped_too_long: 1,
  skipped_long_id: 1,
  capped_paths: 1,
};

export interface Run {
  code: number;
  stderr: string;
  work: string;
  out: string;
  /** counters.tsv as "phase/name" -> value. */
  counters: Map<string, number>;
}

export function runJob(runner: 'local' | 'hadoop', input: string, dir: string, env: NodeJS.ProcessEnv = {}, extra = ''): Run {
  const work = path.join(dir, `${runner}-work`);
  const out = path.join(dir, `${runner}-out`);
  const r = sh(
    `./run-job.sh --runner ${runner} --input '${input}' --output '${out}' --reducers ${REDUCERS} --work-dir '${work}' ${extra}`,
    env,
  );
  const counters = new Map<string, number>();
  const file = path.join(work, 'counters.tsv');
  if (fs.existsSync(file)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
      const [phase, name, value] = line.split('\t');
      counters.set(`${phase}/${name}`, (counters.get(`${phase}/${name}`) ?? 0) + Number(value));
    }
  }
  return { code: r.code, stderr: r.stderr, work, out, counters };
}

/** The viewed_products group of the job counters block in a Hadoop client log. */
export function hadoopLogCounters(log: string): Map<string, number> {
  const text = fs.readFileSync(log, 'latin1');
  const start = text.search(/mapreduce\.Job: Counters: \d+/);
  expect(start).toBeGreaterThanOrEqual(0);
  const block = text.slice(start).split('\n').slice(1);
  const out = new Map<string, number>();
  let group = '';
  for (const line of block) {
    if (!line.startsWith('\t')) break;
    if (!line.startsWith('\t\t')) group = line.trim();
    else if (group === 'viewed_products') {
      const [name, value] = line.trim().split('=');
      out.set(name, Number(value));
    }
  }
  return out;
}

export function phaseCounters(run: Run, phase: string): Record<string, number> {
  return Object.fromEntries([...run.counters].filter(([k]) => k.startsWith(`${phase}/`)).map(([k, v]) => [k.slice(2), v]));
}

/** True when every file's lines are in LC_ALL=C order. */
export function linesSorted(file: string): boolean {
  return sh(`LC_ALL=C sort -c '${file}' 2>/dev/null`).code === 0;
}

/** Each phase-2 part's lines, sorted: which reducer got which source (the partitioner). */
export function phase2Parts(work: string): string[] {
  return Array.from({ length: REDUCERS }, (_, i) => sh(`LC_ALL=C sort '${work}/part-${String(i).padStart(5, '0')}'`).stdout);
}

/** A `node` first on PATH for the tasks, in DIR/NAME: changes how one bundle runs, then runs the real node. */
export function nodeWrapperIn(dir: string, name: string, body: string): NodeJS.ProcessEnv {
  const bin = path.join(dir, name);
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'node'), `#!/bin/sh\n${body}\nexec "$REAL_NODE" "$@"\n`, { mode: 0o755 });
  return { PATH: `${bin}:${process.env.PATH ?? ''}`, REAL_NODE: process.execPath };
}
