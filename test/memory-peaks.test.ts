/**
 * The --memory budget (issue 13), measured: a small budget on MovieLens gives
 * the reference table, every stage's peak RSS (the summary's, measured by GNU
 * time) stays under the budget plus a Node process's own baseline, and so
 * does the whole run measured from outside (each process's peak: other suites
 * running beside it do not change it).
 *
 * Needs GNU time (/usr/bin/time, Debian's `time`); without it the tests skip
 * with a visible reason, except under CI=true, where they fail.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataViews, sh, tmpDir } from './helpers/exec';
import { describeIf } from './helpers/suite';
import { GNU_TIME, missingGnuTime } from './helpers/tools';

jest.setTimeout(300_000);

const TIME = GNU_TIME;
const REFERENCE_MD5 = '72470745d9a6c488c626c5998906c65c';
const BUDGET_MIB = 64;
// A Node process's own RSS before any data (V8's heap and code, the bundle), which no budget bounds.
const NODE_BASELINE_MIB = 64;
const dir = tmpDir('vp-memory-');

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The summary's peak RSS lines: "phase 1 reducer" (etc.) -> MiB, and the largest process. */
function summaryPeaks(stderr: string): { kinds: Map<string, number>; largest: number; who: string } {
  const head = /peak RSS \(MiB\)\s+largest process ([\d.]+) \(([^)]+)\)/.exec(stderr);
  if (head === null) throw new Error(`no peak RSS in the summary:\n${stderr}`);
  const kinds = new Map<string, number>();
  for (const m of stderr.matchAll(/^ {4}(phase \S+|merge)\s+(.+)$/gm)) {
    for (const item of m[2].split(', ')) {
      const kv = /^(?:(.+) )?([\d.]+)$/.exec(item);
      if (kv === null) throw new Error(`bad peak RSS item ${item}`);
      kinds.set(kv[1] === undefined ? m[1] : `${m[1]} ${kv[1]}`, Number(kv[2]));
    }
  }
  return { kinds, largest: Number(head[1]), who: head[2] };
}

function md5(file: string): string {
  return createHash('md5').update(fs.readFileSync(file)).digest('hex');
}

/** Runs the job under GNU time: its result, and the largest RSS of any of its processes (MiB). */
function measuredRun(args: string, env: NodeJS.ProcessEnv = {}): { code: number; stderr: string; wholeMib: number } {
  const rss = path.join(dir, `whole-${Date.now()}.rss`);
  const r = sh(`${TIME} -f %M -o '${rss}' ./run-job.sh ${args}`, env);
  const kib = fs.readFileSync(rss, 'utf8').trim().split('\n').pop() ?? '';
  return { code: r.code, stderr: r.stderr, wholeMib: Number(kib) / 1024 };
}

describeIf(missingGnuTime(), 'a small --memory on MovieLens', () => {
  let views: string;

  beforeAll(() => {
    views = dataViews('movielens', dir);
  });

  test.each([
    // Phase 1's part is in order and phase 2's mapper copies: the reducer reads it with no map pass.
    ['combining (phase 2 merges the sorted runs)', '', ['phase 1 sort', 'phase 1 reducer', 'phase 2 merge', 'phase 2 reducer']],
    // Phase 2 sorts all 20.1M weight-1 pairs: without -S, GNU sort's buffer alone would pass the bound.
    ['--no-combine, 2 reducers (phase 2 sorts)', '--no-combine --reducers 2', ['phase 1 partition', 'phase 2 identity-mapper', 'phase 2 sort', 'phase 2 reducer', 'merge']],
  ])('%s: the reference table; every stage and the whole run under the budget plus a Node baseline', (_name, extra, stages) => {
    const out = path.join(dir, `out-${extra.length}`);
    const r = measuredRun(`--input '${views}' --output '${out}' --memory ${BUDGET_MIB}M ${extra}`);
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(md5(path.join(out, 'viewed_products.tsv'))).toBe(REFERENCE_MD5);
    const { kinds, largest, who } = summaryPeaks(r.stderr);
    expect(r.stderr).toContain(`; --memory budget ${BUDGET_MIB}.0 for the stages running at once\n`);
    for (const s of ['phase 1 identity-mapper', ...stages]) expect([...kinds.keys()]).toContain(s);
    for (const [stage, mib] of kinds) {
      expect({ stage, mib, under: mib < BUDGET_MIB + NODE_BASELINE_MIB }).toEqual({ stage, mib, under: true });
      expect(mib).toBeGreaterThan(0);
    }
    expect(largest).toBe(Math.max(...kinds.values()));
    expect(who).toMatch(/^(phase \S+ \S+|merge)/);
    // From outside: no process of the run (stages, plan renderings, checks) was larger than that bound,
    // and none smaller than the largest stage the summary names.
    expect(r.wholeMib).toBeLessThan(BUDGET_MIB + NODE_BASELINE_MIB);
    expect(r.wholeMib).toBeGreaterThanOrEqual(largest - 0.1);
  });
});
