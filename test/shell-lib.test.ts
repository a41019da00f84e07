/** lib/*.sh functions driven from bash as run-job.sh sources them: check_views' label and skip, task-warning paths. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');

/** Runs SCRIPT after sourcing lib/common.sh and lib/hadoop.sh and loading the default job's plan, with WORK_DIR=work (counters.tsv from COUNTERS). */
function lib(work: string, counters: string, script: string, args: string[] = []) {
  fs.mkdirSync(work, { recursive: true });
  fs.writeFileSync(path.join(work, 'counters.tsv'), counters);
  const prelude = `ROOT=${JSON.stringify(ROOT)}; DIST=$ROOT/dist; WORK_DIR=${JSON.stringify(work)}
source "$ROOT/lib/common.sh"; source "$ROOT/lib/hadoop.sh"; plan_load
`;
  const r = spawnSync('bash', ['-c', prelude + script, 'lib', ...args], { encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr.replace(/^\S+Z run-job: /gm, '') };
}

describe('check_views', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shell-lib-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const notViews = '1\tmap_lines\t3\n1\tskipped_null_id\t3\n';

  test('the message names the label, not the (temporary) file', () => {
    const f = path.join(dir, 'views.tsv');
    fs.writeFileSync(f, 'NULL\ta\nNULL\tb\nNULL\tc\n');
    const r = lib(path.join(dir, 'w1'), notViews, 'check_views "$1" "the export of db.recent_items"', [f]);
    expect(r.code).toBe(60);
    expect(r.stderr).toMatch(/^ERROR: no valid views in the export of db\.recent_items \(3 of 3 lines skipped: NULL id 3\)/m);
    expect(r.stderr).not.toContain(f);
  });

  test('without a label the message names the input', () => {
    const f = path.join(dir, 'views.tsv');
    const r = lib(path.join(dir, 'w2'), notViews, 'check_views "$1"', [f]);
    expect(r.code).toBe(60);
    expect(r.stderr).toContain(`ERROR: no valid views in ${f} (3 of 3 lines skipped: NULL id 3)`);
  });

  test('no phase-1 counters at all (EMR with --cluster-id): one line says the check was skipped', () => {
    const f = path.join(dir, 'csv');
    fs.writeFileSync(f, 'a;b\n');
    const r = lib(path.join(dir, 'w3'), '2\tresult_rows_out\t0\n', 'check_views "$1"; echo "rc $?" >&2', [f]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("input check skipped: no phase-1 counters (the runner could not read the job's counters)\nrc 0\n");
  });

  test.each([
    ['an empty input file', 'empty.tsv', '', ''],
    ['only headers counted', 'header.tsv', 'path_id\tproduct_id\n', '1\tmap_lines\t1\n1\theader_lines\t1\n'],
  ])('%s passes quietly', (_name, name, content, counters) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, content);
    const r = lib(path.join(dir, 'w4'), counters, 'check_views "$1"; echo "rc $?" >&2', [f]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('rc 0\n');
  });
});

describe('hadoop_task_messages', () => {
  test("input links read as the user's paths; Hadoop's own lines are dropped", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shell-lib-'));
    const log = path.join(dir, 'phase1.log');
    fs.writeFileSync(
      log,
      [
        '2026-01-01 00:00:00,000 INFO mapred.MapTask: Processing split: file:/w/hadoop/input/00000-views.csv:0+9',
        'identity-mapper: file:/w/hadoop/input/00000-views.csv:2: bad view (no TAB): "1;a"',
        'identity-mapper: /w/hadoop/input/00001-views:1: x, file:/w/hadoop/input/00000-views.csv:3: y',
        'other: /w/hadoop/input/00009-unknown:1: kept as is',
        '',
      ].join('\n'),
    );
    const script = `HADOOP_INPUT_NAMES[00000-views.csv]='/home/u/my views.csv'
HADOOP_INPUT_NAMES[00001-views]='/home/u/a,b*.tsv'
hadoop_task_messages "$1" /w/hadoop/input`;
    const r = lib(path.join(dir, 'w'), '', script, [log]);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')).toEqual([
      'identity-mapper: /home/u/my views.csv:2: bad view (no TAB): "1;a"',
      'identity-mapper: /home/u/a,b*.tsv:1: x, /home/u/my views.csv:3: y',
      'other: /w/hadoop/input/00009-unknown:1: kept as is',
      '',
    ]);
  });
});

describe('the import file helpers (lib/db-import.sh) take ids as bytes', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shell-lib-db-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // awk compares number-like fields as numbers: '01' and '1' must stay two sources.
  const file = '01\tb\t5\n1\ta\t3\n1\tc\t2\n1.0\td\t1\n';

  test('db_ranked_file numbers each source from 1, number-like ids apart', () => {
    const work = path.join(dir, 'w1');
    const f = path.join(dir, 'result.tsv');
    fs.writeFileSync(f, file);
    const r = lib(work, '', `source "$ROOT/lib/db-import.sh"; db_ranked_file "$1" "$WORK_DIR/ranked.tsv"`, [f]);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(work, 'ranked.tsv'), 'utf8')).toBe('01\tb\t5\t1\n1\ta\t3\t1\n1\tc\t2\t2\n1.0\td\t1\t1\n');
  });

  test('db_file_facts counts number-like ids as distinct products', () => {
    const f = path.join(dir, 'result.tsv');
    const r = spawnSync('bash', ['-c', `source "$1/lib/db-import.sh"; db_file_facts "$2"`, 'lib', ROOT, f], { encoding: 'utf8' });
    expect(r.stdout).toBe('4 11 3 3\n');
  });
});

describe('print_memory', () => {
  // Fixed: a run on Hadoop's local job runner said "the tasks ran in cluster containers".
  test.each([
    ['local', '', '; --memory budget 1024.0 for the stages running at once'],
    ['hadoop', '', "; the tasks ran in Hadoop's local job runner, under its JVM (not measured here)"],
    ['hadoop', 'CLUSTER_CONF=/etc/hadoop', '; the tasks ran in YARN containers (not measured here)'],
    ['emr', 'source "$ROOT/lib/emr.sh"', "; the tasks ran in the EMR cluster's YARN containers (not measured here)"],
  ])('runner %s %s: the largest process, and where the tasks ran', (runner, setup, tail) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shell-lib-'));
    fs.writeFileSync(path.join(dir, 'memory.tsv'), 'merge\t1536\n');
    const r = lib(dir, '', `${setup}\nRUNNER=${runner} MEMORY_KIB=1048576 STAGE_TIME=/usr/bin/time print_memory`);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe(`  peak RSS (MiB)    largest process 1.5 (merge)${tail}`);
  });
});

describe('stop_children', () => {
  test('a child that keeps starting processes: none is left, forked while they were being stopped or not', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'shell-lib-stop-'));
    // A marker no other process has: `sleep` with a unique fractional duration.
    const mark = `29.${process.pid}${Date.now() % 100000}`;
    const r = lib(
      work,
      '',
      `spawn() { while :; do sleep ${mark} & done; }
spawn >/dev/null 2>&1 &
sleep 0.5
stop_children`,
    );
    fs.rmSync(work, { recursive: true, force: true });
    const left = spawnSync('pgrep', ['-f', '-x', `sleep ${mark}`], { encoding: 'utf8' }).stdout;
    if (left.trim() !== '') spawnSync('pkill', ['-f', '-x', `sleep ${mark}`]);
    expect({ code: r.code, left: left.trim() }).toEqual({ code: 0, left: '' });
    expect(r.stderr).toMatch(/stopping \d+ leftover process\(es\) of this run/);
  });
});
