/** The one parser of Hadoop's job-counter dump (hadoop and EMR runners). */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { jobCounters } from '../src/job/hadoop-counters';

const JOB_BLOCK = [
  '2026-03-04 05:06:07,890 INFO org.apache.hadoop.mapreduce.Job: Counters: 5',
  '\tFile System Counters',
  '\t\tFILE: Number of bytes read=4096',
  '\tviewed_products',
  '\t\tmap_lines=12',
  '\t\tpaths=7',
  '\tShuffle Errors',
  '\t\tBAD_ID=0',
  '2026-03-04 05:06:07,891 INFO streaming.StreamJob: Output directory: /tmp/out',
];
const TASK_BLOCK = [
  '2026-01-01 00:00:00,000 INFO mapred.Task: Final Counters for attempt_local1_0001_r_000000_0: Counters: 2',
  '\tviewed_products',
  '\t\tpaths=5',
  '2026-01-01 00:00:01,000 INFO org.apache.hadoop.mapreduce.Job: Job job_local1_0001 completed successfully',
];

describe('jobCounters', () => {
  test.each([
    ['the job block alone', JOB_BLOCK, 1, [['map_lines', '12'], ['paths', '7']]],
    ['per-task blocks before it are skipped', [...TASK_BLOCK, ...JOB_BLOCK], 1, [['map_lines', '12'], ['paths', '7']]],
    ['a task block after it is skipped', [...JOB_BLOCK, ...TASK_BLOCK], 1, [['map_lines', '12'], ['paths', '7']]],
    ['short logger name, as EMR logs print it', ['x INFO mapreduce.Job: Counters: 40', '\tviewed_products', '\t\tpairs=3'], 1, [['pairs', '3']]],
    ['logger with its thread', ['x INFO org.apache.hadoop.mapreduce.Job (main): Counters: 40', '\tviewed_products', '\t\tpairs=3'], 1, [['pairs', '3']]],
    ['a block without our group', ['x INFO mapreduce.Job: Counters: 1', '\tFile System Counters', '\t\tFILE: Number of bytes read=1'], 1, []],
    ['no counters block (failed or unfinished job)', ['Streaming Command Failed!'], 0, []],
    ['only task blocks', TASK_BLOCK, 0, []],
    ['an empty log', [''], 0, []],
  ])('%s', (_name, lines, blocks, counters) => {
    expect(jobCounters(`${lines.join('\n')}\n`)).toEqual({ blocks, counters });
  });

  test('the group line ends at trailing blanks; a line outside the block ends it', () => {
    const log = ['x mapreduce.Job: Counters: 2', '\tviewed_products  ', '\t\ta=1', 'other line', '\t\tb=2', ''].join('\n');
    expect(jobCounters(log).counters).toEqual([['a', '1']]);
  });
});

describe('dist/hadoop-counters.js', () => {
  const run = (input: string, ...args: string[]) =>
    spawnSync(process.execPath, [path.join(__dirname, '..', 'dist', 'hadoop-counters.js'), ...args], { input, encoding: 'utf8' });

  test('prints phase<TAB>name<TAB>value of the job block', () => {
    const r = run(`${[...TASK_BLOCK, ...JOB_BLOCK].join('\n')}\n`, '--phase', '2');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('2\tmap_lines\t12\n2\tpaths\t7\n');
  });

  test('exit 3 and nothing printed when the log holds no counters block', () => {
    const r = run('Streaming Command Failed!\n', '--phase', '1');
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
  });

  test('exit 2 without --phase', () => {
    expect(run('', '--bogus').status).toBe(2);
    expect(run('').status).toBe(2);
  });
});
