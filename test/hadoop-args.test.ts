/**
 * The Hadoop runner's pieces that need no Hadoop: the streaming arguments
 * job-plan.js renders from src/job/phases.ts, and lib/hadoop.sh reading the
 * job counters from the Hadoop client's log.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST, ROOT, sh, tmpDir } from './helpers/exec';

/** Splits the NUL-terminated arguments job-plan.js prints. */
function planArgs(args: string[]): string[] {
  const r = spawnSync(process.execPath, [path.join(DIST, 'job-plan.js'), 'hadoop-args', ...args], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`job-plan.js failed: ${r.stderr}`);
  expect(r.stdout.endsWith('\0')).toBe(true);
  return r.stdout.slice(0, -1).split('\0');
}

/** -D values of an argument list, in order. */
function jobconf(args: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-D') {
      const kv = args[++i];
      const eq = kv.indexOf('=');
      m.set(kv.slice(0, eq), kv.slice(eq + 1));
    }
  }
  return m;
}

function option(args: string[], name: string): string[] {
  return args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
}

describe('hadoop-args: streaming arguments rendered from src/job/phases.ts', () => {
  const io = ['--input', '/in/a', '--input', '/in/b', '--base', '/out', '--files-dir', 'dist', '--reducers', '3'];

  test('generic options come first, bundles ship with -files and run from the task directory', () => {
    for (const phase of ['1', '2']) {
      const args = planArgs(['--phase', phase, ...io]);
      let firstStreaming = 0;
      while (args[firstStreaming] === '-D' || args[firstStreaming] === '-files') firstStreaming += 2;
      expect(args[firstStreaming]).toBe('-input');
      const rest = args.slice(firstStreaming);
      expect(rest).not.toContain('-D');
      expect(rest).not.toContain('-files');
      const files = option(args, '-files');
      expect(files).toHaveLength(1);
      const shipped = files[0].split(',');
      for (const f of shipped) expect(f).toBe(path.join(ROOT, 'dist', path.basename(f)));
      for (const cmd of [...option(args, '-mapper'), ...option(args, '-reducer'), ...option(args, '-combiner')]) {
        const [node, bundle] = cmd.split(' ');
        expect(node).toBe('node');
        expect(bundle).not.toContain('/');
        expect(shipped.map((f) => path.basename(f))).toContain(bundle);
      }
      // The views phase reads the views, phase 2 what it wrote; each writes its own folder.
      expect(option(args, '-input')).toEqual(phase === '1' ? ['/in/a', '/in/b'] : ['/out/phase1']);
      expect(option(args, '-output')).toEqual([`/out/phase${phase}`]);
    }
  });

  test('phase 1: key = path id, N reducers, path cap and combining switch passed on', () => {
    const args = planArgs(['--phase', '1', ...io, '--max-path-products', '7', '--no-combine']);
    const conf = jobconf(args);
    expect(conf.get('mapreduce.job.reduces')).toBe('3');
    expect(conf.get('stream.num.map.output.key.fields')).toBe('1');
    expect(conf.get('mapred.partitioner.class')).toBe('org.apache.hadoop.mapred.lib.HashPartitioner');
    expect(conf.get('mapreduce.job.output.key.comparator.class')).toBe('org.apache.hadoop.io.Text$Comparator');
    // Phase 1's mapper checks the views, as the local runner's does (the same definition).
    expect(option(args, '-mapper')).toEqual(['node identity-mapper.js --views']);
    expect(option(args, '-reducer')).toEqual(['node pairs-reducer.js --max-path-products=7 --no-combine']);
    expect(option(args, '-combiner')).toEqual([]);
  });

  test('phase 2: key = source<TAB>target, the reducer doubles as combiner', () => {
    const args = planArgs(['--phase', '2', ...io]);
    const conf = jobconf(args);
    expect(conf.get('mapreduce.job.reduces')).toBe('3');
    expect(conf.get('stream.num.map.output.key.fields')).toBe('2');
    expect(conf.get('stream.num.reduce.output.key.fields')).toBe('2');
    expect(conf.get('mapred.partitioner.class')).toBe('org.apache.hadoop.mapred.lib.HashPartitioner');
    expect(option(args, '-reducer')).toEqual(['node sum-reducer.js']);
    expect(option(args, '-combiner')).toEqual(['node sum-reducer.js --role=combiner']);
  });
});

describe('lib/hadoop.sh reads the job counters from the Hadoop client log', () => {
  test('only the job block, group viewed_products; task blocks and other groups ignored', () => {
    const dir = tmpDir('vp-hadoop-log-');
    try {
      const log = path.join(dir, 'phase1.log');
      fs.writeFileSync(
        log,
        [
          '2026-01-01 00:00:00,000 INFO mapred.Task: Final Counters for attempt_local1_0001_r_000000_0: Counters: 2',
          '\tviewed_products',
          '\t\tpaths=5',
          '2026-01-01 00:00:01,000 INFO org.apache.hadoop.mapreduce.Job: Job job_local1_0001 completed successfully',
          // an installed Hadoop logs the full class name
          '2026-01-01 00:00:01,000 INFO org.apache.hadoop.mapreduce.Job: Counters: 4',
          '\tMap-Reduce Framework',
          '\t\tMap input records=12',
          '\tviewed_products',
          '\t\tmap_lines=12',
          '\t\tpaths=7',
          '\tFile Output Format Counters ',
          '\t\tBytes Written=60',
          '2026-01-01 00:00:01,000 INFO org.apache.hadoop.streaming.StreamJob: Output directory: x',
        ].join('\n') + '\n',
      );
      const r = sh(
        `ROOT=. DIST=dist; source lib/common.sh; source lib/hadoop.sh; WORK_DIR='${dir}'; : >"$WORK_DIR/counters.tsv"; ` +
          `hadoop_job_counters '${log}' 1; cat "$WORK_DIR/counters.tsv"`,
      );
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('1\tmap_lines\t12\n1\tpaths\t7\n');
      fs.writeFileSync(log, 'Streaming Command Failed!\n');
      const none = sh(`ROOT=. DIST=dist; source lib/common.sh; source lib/hadoop.sh; WORK_DIR='${dir}'; hadoop_job_counters '${log}' 2`);
      expect(none.code).toBe(20);
      expect(none.stderr).toContain('phase 2: no job counters');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
