/** lib/*.sh functions driven from bash as run-job.sh sources them: check_views' label and skip, task-warning paths. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');

/** Runs SCRIPT after sourcing lib/common.sh and lib/hadoop.sh, with WORK_DIR=work (counters.tsv from COUNTERS). */
function lib(work: string, counters: string, script: string, args: string[] = []) {
  fs.mkdirSync(work, { recursive: true });
  fs.writeFileSync(path.join(work, 'counters.tsv'), counters);
  const prelude = `ROOT=${JSON.stringify(ROOT)}; DIST=$ROOT/dist; WORK_DIR=${JSON.stringify(work)}
source "$ROOT/lib/common.sh"; source "$ROOT/lib/hadoop.sh"
`;
  const r = spawnSync('bash', ['-c', prelude + script, 'lib', ...args], { encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr.replace(/^\S+Z run-job: /gm, '') };
}

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
