/**
 * The --memory budget (issue 13), through the real run-job.sh: the budget is
 * split among the reduce tasks and reaches `sort -S` and the pairs reducer's
 * --memory-mb; bad values are usage errors for every runner; the shares and
 * the summary's peak RSS lines. The measured runs: memory-peaks.test.ts.
 *
 * Needs GNU time (/usr/bin/time, Debian's `time`); without it the tests skip
 * with a visible reason, except under CI=true, where they fail.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataViews, sh, tmpDir } from './helpers/exec';
import { describeIf, testIf } from './helpers/suite';
import { missingGnuTime } from './helpers/tools';

jest.setTimeout(300_000);

const REFERENCE_MD5 = '72470745d9a6c488c626c5998906c65c';
const BUDGET_MIB = 64;
const dir = tmpDir('vp-memory-');

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const noTime = missingGnuTime();

function md5(file: string): string {
  return createHash('md5').update(fs.readFileSync(file)).digest('hex');
}

describeIf(noTime, 'the --memory budget on MovieLens', () => {
  let views: string;

  beforeAll(() => {
    views = dataViews('movielens', dir);
  });

  test('the budget is split among the reduce tasks: each task\'s sort -S and the pairs reducer\'s --memory-mb, from the plan', () => {
    // Wrappers that log their arguments, then run the real tools.
    const bin = tmpDir('vp-memory-bin-');
    const calls = path.join(dir, 'calls.log');
    for (const tool of ['sort', 'node']) {
      const real = sh(`command -v ${tool}`).stdout.trim();
      fs.writeFileSync(path.join(bin, tool), `#!/usr/bin/env bash\nprintf '%s %s\\n' ${tool} "$*" >> '${calls}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
    }
    const out = path.join(dir, 'split-out');
    const r = sh(`./run-job.sh --input '${views}' --output '${out}' --memory ${BUDGET_MIB}M --reducers 2`, { PATH: `${bin}:${process.env.PATH}` });
    expect(r.code).toBe(0);
    expect(md5(path.join(out, 'viewed_products.tsv'))).toBe(REFERENCE_MD5);
    const lines = fs.readFileSync(calls, 'utf8').split('\n');
    // 64 MiB over 2 tasks: 32 MiB each, three quarters (24 MiB) for the reducer's tables, the rest for sort.
    const reducers = lines.filter((l) => l.includes('pairs-reducer.js'));
    expect(reducers).toHaveLength(2);
    for (const l of reducers) expect(l).toMatch(/ --memory-mb 24$/);
    const sorts = lines.filter((l) => /^sort -S /.test(l));
    expect(sorts.length).toBeGreaterThanOrEqual(2);
    expect(sorts.filter((l) => l.startsWith('sort -S 8192K '))).toHaveLength(2);
    // The sum reducer streams: it gets no share.
    expect(lines.filter((l) => l.includes('sum-reducer.js') && l.includes('--memory-mb'))).toEqual([]);
    fs.rmSync(bin, { recursive: true, force: true });
  });
});
describe('--memory values', () => {
  const views = path.join(dir, 'tiny.tsv');
  beforeAll(() => fs.writeFileSync(views, 'p1\ta\np1\tb\n'));

  test.each([
    ['0', '--memory must be at least 16M: 0'],
    ['15M', '--memory must be at least 16M: 15M'],
    ['16383K', '--memory must be at least 16M: 16383K'],
    ['abc', '--memory must be a whole number of MiB, or with a K, M or G suffix (such as 512M or 2G): abc'],
    ['1.5G', '--memory must be a whole number of MiB, or with a K, M or G suffix (such as 512M or 2G): 1.5G'],
    ['1GB', '--memory must be a whole number of MiB, or with a K, M or G suffix (such as 512M or 2G): 1GB'],
    ['-1', '--memory must be a whole number of MiB, or with a K, M or G suffix (such as 512M or 2G): -1'],
    ['', '--memory must be a whole number of MiB, or with a K, M or G suffix (such as 512M or 2G): '],
  ])('--memory %j: exit 2, one line, nothing written, with every runner', (value, message) => {
    for (const runner of ['local', 'hadoop', 'emr']) {
      const out = path.join(dir, `bad-${runner}`);
      const r = sh(`./run-job.sh --input '${views}' --output '${out}' --runner ${runner} --memory '${value}'`);
      expect({ runner, code: r.code }).toEqual({ runner, code: 2 });
      expect(r.stderr).toContain(`run-job: ${message}\n`);
      expect(r.stderr.split('\n').filter((l) => l !== '' && !l.includes('see ./run-job.sh --help'))).toHaveLength(1);
      expect(fs.existsSync(out)).toBe(false);
    }
  });

  test('a budget too small for the reducers asked for, or no value: exit 2; sizes with K, M, G or none run', () => {
    const few = sh(`./run-job.sh --input '${views}' --output '${dir}/few' --memory 16M --reducers 5`);
    expect(few.code).toBe(2);
    expect(few.stderr).toContain('run-job: --memory 16M leaves each of 5 reducers less than 4 MiB: give more --memory or fewer --reducers\n');
    expect(fs.existsSync(path.join(dir, 'few'))).toBe(false);
    const none = sh('./run-job.sh --memory');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('run-job: --memory needs a value\n');
    // 1400G: the reducer's three quarters pass pairs-reducer's 1 TiB limit, so its --memory-mb is clamped.
    for (const value of ['16384K', '16m', '100', '2g', '1400G']) {
      const r = sh(`./run-job.sh --input '${views}' --output '${dir}/ok-${value}' --memory ${value}`);
      expect({ value, code: r.code }).toEqual({ value, code: 0 });
      expect(fs.readFileSync(path.join(dir, `ok-${value}`, 'viewed_products.tsv'), 'latin1')).toBe('a\tb\t1\nb\ta\t1\n');
    }
  });

  test('--help documents --memory and its default', () => {
    const help = sh('./run-job.sh --help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--memory SIZE\s+working memory of the stages running at once \(default\s+1G\)/);
  });
});

describe('the shares and the summary without GNU time (lib/memory.sh, lib/counters.sh)', () => {
  test.each([
    // budget, reduce tasks, the reducer's option: sort's KiB, the reducer's arguments
    ['1G', 1, '--memory-mb', '262144 --memory-mb 768'],
    ['1G', 2, '--memory-mb', '131072 --memory-mb 384'],
    ['1G', 2, '', '524288 '],
    ['16M', 4, '--memory-mb', '1024 --memory-mb 3'],
    // 34133 KiB a task: the reducer's three quarters rounded down to whole MiB, sort the rest.
    ['100', 3, '--memory-mb', '9557 --memory-mb 24'],
  ])('--memory %s over %i task(s), reducer option %j: sort -S and the reducer\'s MiB', (budget, tasks, option, want) => {
    const r = sh(
      `source lib/common.sh; source lib/local.sh; MEMORY_ARG=${budget}; memory_check; memory_split ${tasks} '${option}'; ` +
        'printf "%s %s" "$MEMORY_SORT_KIB" "${MEMORY_REDUCER_ARGS[*]}"',
    );
    expect(r.stdout).toBe(want);
  });

  test('without /usr/bin/time, stages run as before and the summary says memory is not measured', () => {
    const work = tmpDir('vp-memory-work-');
    const r = sh(
      `source lib/common.sh; WORK_DIR='${work}'; LOG_DIR='${work}'; STAGE_FAILURES='${work}/failures'; : > "$WORK_DIR/counters.tsv"; : > "$WORK_DIR/timings.tsv"; ` +
        `STAGE_TIME=''; stage 'phase 1 sort 00000' bash -c 'echo out; echo warn >&2; exit 3' || echo "rc=$?"; print_memory`,
    );
    fs.rmSync(work, { recursive: true, force: true });
    expect(r.stdout).toBe('out\nrc=3\n');
    expect(r.stderr).toBe('warn\n  peak RSS          not measured: GNU time (/usr/bin/time, package "time") is not installed\n');
  });

  testIf(noTime, 'with it, a failing stage keeps its exit code, its stderr (no GNU time line) and its peak in memory.tsv', () => {
    const work = tmpDir('vp-memory-work-');
    const r = sh(
      `source lib/common.sh; WORK_DIR='${work}'; LOG_DIR='${work}'; STAGE_FAILURES='${work}/failures'; ` +
        `stage 'phase 1 sort 00000' bash -c 'echo out; echo warn >&2; exit 3' || echo "rc=$?"; ` +
        `stage 'phase 1 reducer 00000' bash -c 'kill -TERM $$' || echo "rc=$?"; ` +
        `stage 'phase 1 mapper (x)' no-such-command-vp || echo "rc=$?"; rm -f "$LOG_DIR/phase-1-mapper-x.log"; cat "$WORK_DIR/memory.tsv"; ls "$LOG_DIR"`,
    );
    fs.rmSync(work, { recursive: true, force: true });
    // A command that cannot start: GNU time's words without its name, and no peak recorded.
    expect(r.stderr).toBe('warn\ncannot run no-such-command-vp: No such file or directory\n');
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual(['out', 'rc=3', 'rc=143', 'rc=127']);
    lines.splice(3, 1);
    expect(lines[3]).toMatch(/^phase 1 sort 00000\t\d+$/);
    expect(lines[4]).toMatch(/^phase 1 reducer 00000\t\d+$/);
    // No .rss file left beside the stage logs.
    expect(lines.slice(5).filter((l) => l !== '').sort()).toEqual(['failures', 'memory.tsv', 'phase-1-reducer-00000.log', 'phase-1-sort-00000.log']);
  });
});
