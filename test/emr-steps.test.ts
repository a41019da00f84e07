/**
 * EMR step definitions (src/job/emr-steps.ts): table tests of the pure
 * renderer, and the generated step arguments, with s3:// mapped to local
 * folders, run on the pinned Hadoop: what we submit to EMR is what we tested.
 *
 * The Hadoop part needs an installed Hadoop or java + mvn (npm run
 * setup:hadoop); it skips with a visible reason without them, except under
 * CI=true, where it fails.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CliStep,
  actionOnFailure,
  emrLayout,
  emrSteps,
  normalizeS3Uri,
  shippedObjects,
  toApiStep,
} from '../src/job/emr-steps';
import { phaseSpecs, streamingArgs } from '../src/job/phases';
import { DIST, ROOT, dataViews, facts, sh, tmpDir } from './helpers/exec';
import { hadoopReady } from './helpers/hadoop-job';
import { describeIf } from './helpers/suite';
import { missingHadoop } from './helpers/tools';

const RUN = 's3://vp-bucket/jobs/viewed/runs/20260101T000000Z-1';

/** Values following each occurrence of an option. */
function option(args: string[], name: string): string[] {
  return args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
}

describe('emrLayout and S3 URIs', () => {
  test.each([
    ['s3://b-1/p', 's3://b-1/p'],
    ['s3://bucket/a/b/', 's3://bucket/a/b'],
    ['s3://bucket', 's3://bucket'],
    ['s3://my.bucket/x//', 's3://my.bucket/x'],
  ])('%s normalizes to %s', (uri, want) => {
    expect(normalizeS3Uri(uri)).toBe(want);
  });

  test.each([
    ['not s3', 'https://bucket/p'],
    ['upper-case bucket', 's3://Bucket/p'],
    ['no bucket', 's3:///p'],
    ['space (splits the command line)', 's3://bucket/a b'],
    ['comma (splits -files)', 's3://bucket/a,b'],
    ['hash (names a -files link)', 's3://bucket/a#b'],
    ['empty segment', 's3://bucket/a//b'],
    ['glob star (Hadoop expands -input globs)', 's3://bucket/day*'],
    ['glob braces', 's3://bucket/{a,b}'],
    ['glob brackets', 's3://bucket/day[12]'],
  ])('refuses %s', (_why, uri) => {
    expect(() => normalizeS3Uri(uri)).toThrow();
  });

  test('every file of a run lives under the run prefix', () => {
    const l = emrLayout(`${RUN}/`);
    expect(l.run).toBe(RUN);
    expect(l.input).toBe(`${RUN}/input`);
    expect(l.phases).toEqual({ '1': `${RUN}/phase1`, '2': `${RUN}/output` });
    expect(emrLayout(RUN, { score: 'llr' }).phases).toEqual({ '1': `${RUN}/phase1`, supports: `${RUN}/supports`, '2': `${RUN}/output` });
    expect(l.output).toBe(`${RUN}/output`);
    expect(l.bootstrap).toBe(`${RUN}/bootstrap-node.sh`);
    expect(l.bundles).toEqual({
      'identity-mapper.js': `${RUN}/dist/identity-mapper.js`,
      'pairs-reducer.js': `${RUN}/dist/pairs-reducer.js`,
      'sum-reducer.js': `${RUN}/dist/sum-reducer.js`,
      'identity-reducer.js': `${RUN}/dist/identity-reducer.js`,
    });
  });
});

describe('emrSteps', () => {
  const settings = { reducers: 7, maxPathProducts: 250, combine: true, node: 'node' };
  const [s1, s2] = emrSteps({ runUri: RUN, target: 'new-cluster', settings });

  test('both steps run hadoop-streaming through command-runner.jar, as CUSTOM_JAR steps', () => {
    for (const s of [s1, s2]) {
      expect(s.Type).toBe('CUSTOM_JAR');
      expect(s.Jar).toBe('command-runner.jar');
      expect(s.Args[0]).toBe('hadoop-streaming');
    }
  });

  test('arguments are exactly streamingArgs of phases.ts (one definition)', () => {
    const [p1, p2] = phaseSpecs(settings);
    const uris = (b: string): string => `${RUN}/dist/${b}`;
    expect(s1.Args.slice(1)).toEqual(streamingArgs(p1, { inputs: [`${RUN}/input`], output: `${RUN}/phase1`, bundleUris: uris }));
    expect(s2.Args.slice(1)).toEqual(streamingArgs(p2, { inputs: [`${RUN}/phase1`], output: `${RUN}/output`, bundleUris: uris }));
    expect(s1.Name).toBe(p1.name);
    expect(s2.Name).toBe(p2.name);
  });

  test('phase 2 reads what phase 1 writes; outputs are distinct and new', () => {
    expect(option(s2.Args, '-input')).toEqual(option(s1.Args, '-output'));
    expect(option(s1.Args, '-output')).toEqual([`${RUN}/phase1`]);
    expect(option(s2.Args, '-output')).toEqual([`${RUN}/output`]);
  });

  test('bundles ship from S3 with -files and run from the task directory', () => {
    expect(option(s1.Args, '-files')).toEqual([`${RUN}/dist/identity-mapper.js,${RUN}/dist/pairs-reducer.js`]);
    expect(option(s2.Args, '-files')).toEqual([`${RUN}/dist/identity-mapper.js,${RUN}/dist/sum-reducer.js`]);
    expect(option(s1.Args, '-mapper')).toEqual(['node identity-mapper.js --views']);
    expect(option(s1.Args, '-reducer')).toEqual(['node pairs-reducer.js --max-path-products=250']);
    expect(option(s2.Args, '-combiner')).toEqual(['node sum-reducer.js --role=combiner']);
    expect(option(s2.Args, '-reducer')).toEqual(['node sum-reducer.js']);
    expect(option(s1.Args, '-combiner')).toEqual([]);
    expect(shippedObjects([s1, s2])).toEqual([
      `${RUN}/dist/identity-mapper.js`,
      `${RUN}/dist/pairs-reducer.js`,
      `${RUN}/dist/sum-reducer.js`,
    ]);
  });

  test('generic options (-D, -files) come before the streaming ones', () => {
    for (const s of [s1, s2]) {
      const args = s.Args.slice(1);
      const firstStreaming = args.findIndex((a) => a.startsWith('-') && a !== '-D' && a !== '-files');
      expect(args[firstStreaming]).toBe('-input');
      expect(args.slice(firstStreaming)).not.toContain('-D');
      expect(args.slice(firstStreaming)).not.toContain('-files');
      expect(option(args, '-D')).toContain('mapreduce.job.reduces=7');
    }
    expect(option(s2.Args, '-D')).toEqual(
      expect.arrayContaining(['stream.num.map.output.key.fields=2', 'stream.num.reduce.output.key.fields=2']),
    );
  });

  test.each([
    ['new-cluster', 'TERMINATE_CLUSTER'],
    ['existing-cluster', 'CANCEL_AND_WAIT'],
  ] as const)('ActionOnFailure on a %s is %s (never CONTINUE)', (target, want) => {
    expect(actionOnFailure(target)).toBe(want);
    for (const s of emrSteps({ runUri: RUN, target })) expect(s.ActionOnFailure).toBe(want);
  });

  test('explicit inputs replace the run input folder; --no-combine reaches the reducer', () => {
    const [a] = emrSteps({
      runUri: RUN,
      target: 'existing-cluster',
      inputs: ['s3://exports/views/2026-01-01/', 's3://exports/views/2026-01-02'],
      settings: { combine: false },
    });
    expect(option(a.Args, '-input')).toEqual(['s3://exports/views/2026-01-01', 's3://exports/views/2026-01-02']);
    expect(option(a.Args, '-reducer')).toEqual(['node pairs-reducer.js --max-path-products=1000 --no-combine']);
  });

  test('invalid settings and URIs are refused', () => {
    expect(() => emrSteps({ runUri: 'hdfs:///x', target: 'new-cluster' })).toThrow(/s3:/);
    expect(() => emrSteps({ runUri: RUN, target: 'new-cluster', inputs: ['/local/file'] })).toThrow(/s3:/);
    expect(() => emrSteps({ runUri: RUN, target: 'new-cluster', settings: { reducers: 0 } })).toThrow(/reducers/);
  });

  test('toApiStep is the HadoopJarStep form the CLI sends', () => {
    expect(toApiStep(s1)).toEqual({
      Name: s1.Name,
      ActionOnFailure: 'TERMINATE_CLUSTER',
      HadoopJarStep: { Jar: 'command-runner.jar', Args: s1.Args },
    });
  });
});

describe('emrSteps with a score, --top and --min-count', () => {
  const steps = emrSteps({ runUri: RUN, target: 'new-cluster', settings: { reducers: 5, score: 'llr', top: 20, minCount: 2 } });

  test('three steps: phase 1, the supports step over its output into one part, phase 2 shipping that part as supports.tsv', () => {
    expect(steps).toHaveLength(3);
    const [s1, sup, s2] = steps;
    expect(option(s1.Args, '-reducer')).toEqual(['node pairs-reducer.js --max-path-products=1000 --supports']);
    expect(option(sup.Args, '-input')).toEqual([`${RUN}/phase1`]);
    expect(option(sup.Args, '-output')).toEqual([`${RUN}/supports`]);
    expect(option(sup.Args, '-mapper')).toEqual(['node identity-mapper.js --diagonal']);
    expect(option(sup.Args, '-reducer')).toEqual(['node identity-reducer.js']);
    expect(option(sup.Args, '-files')).toEqual([`${RUN}/dist/identity-mapper.js,${RUN}/dist/identity-reducer.js`]);
    expect(option(sup.Args, '-D')).toContain('mapreduce.job.reduces=1');
    expect(option(s2.Args, '-input')).toEqual([`${RUN}/phase1`]);
    expect(option(s2.Args, '-mapper')).toEqual(['node identity-mapper.js --off-diagonal']);
    expect(option(s2.Args, '-files')).toEqual([
      `${RUN}/dist/identity-mapper.js,${RUN}/dist/sum-reducer.js,${RUN}/supports/part-00000#supports.tsv`,
    ]);
    expect(option(s2.Args, '-reducer')).toEqual(['node sum-reducer.js --min-count=2 --score=llr --supports=supports.tsv --top=20']);
    expect(option(s2.Args, '-D')).toEqual(
      expect.arrayContaining([
        'mapred.partitioner.class=org.apache.hadoop.mapred.lib.KeyFieldBasedPartitioner',
        'mapreduce.partition.keypartitioner.options=-k1,1',
        'mapreduce.job.reduces=5',
      ]),
    );
  });

  test('the side file is not among the objects checked before submission (the supports step writes it)', () => {
    expect(shippedObjects(steps)).toEqual([
      `${RUN}/dist/identity-mapper.js`,
      `${RUN}/dist/pairs-reducer.js`,
      `${RUN}/dist/identity-reducer.js`,
      `${RUN}/dist/sum-reducer.js`,
    ]);
  });

  test('count with --top: two steps, phase 2 partitioned by source, no side file', () => {
    const two = emrSteps({ runUri: RUN, target: 'new-cluster', settings: { top: 3 } });
    expect(two).toHaveLength(2);
    expect(option(two[1].Args, '-files')).toEqual([`${RUN}/dist/identity-mapper.js,${RUN}/dist/sum-reducer.js`]);
    expect(option(two[1].Args, '-D')).toContain('mapreduce.partition.keypartitioner.options=-k1,1');
  });
});

describe('job-plan.js emr-steps / emr-layout', () => {
  const plan = (args: string[]) =>
    spawnSync(process.execPath, [path.join(DIST, 'job-plan.js'), ...args], { encoding: 'utf8' });

  test('prints the steps of src/job/emr-steps.ts as JSON, cli and api forms', () => {
    const cli = plan(['emr-steps', '--run-uri', RUN, '--reducers', '4', '--cluster', 'existing']);
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(
      emrSteps({ runUri: RUN, target: 'existing-cluster', settings: { reducers: 4 } }),
    );
    const api = plan(['emr-steps', '--run-uri', RUN, '--format', 'api']);
    expect(api.status).toBe(0);
    expect(JSON.parse(api.stdout)).toEqual(emrSteps({ runUri: RUN, target: 'new-cluster' }).map(toApiStep));
  });

  test('prints the layout as name<TAB>uri lines', () => {
    const r = plan(['emr-layout', '--run-uri', RUN]);
    expect(r.status).toBe(0);
    const rows = new Map(r.stdout.trimEnd().split('\n').map((l) => l.split('\t') as [string, string]));
    expect(rows.get('output')).toBe(`${RUN}/output`);
    expect(rows.get('dist/sum-reducer.js')).toBe(`${RUN}/dist/sum-reducer.js`);
  });

  test('the layout lists, as file<TAB>uri lines, every object any steps of the run ship with -files', () => {
    const r = plan(['emr-layout', '--run-uri', `${RUN}/`]);
    expect(r.status).toBe(0);
    const files = r.stdout.split('\n').filter((l) => l.startsWith('file\t')).map((l) => l.slice('file\t'.length));
    expect(files).toEqual([`${RUN}/dist/identity-mapper.js`, `${RUN}/dist/pairs-reducer.js`, `${RUN}/dist/sum-reducer.js`]);
    for (const target of ['new-cluster', 'existing-cluster'] as const) {
      for (const settings of [{}, { combine: false, reducers: 9, maxPathProducts: 0 }]) {
        expect(shippedObjects(emrSteps({ runUri: RUN, target, settings }))).toEqual(files);
      }
    }
  });

  test.each([
    [['emr-steps'], /--run-uri is required/],
    [['emr-steps', '--run-uri', 's3://B/x'], /not an s3:/],
    [['emr-steps', '--run-uri', RUN, '--cluster', 'maybe'], /--cluster/],
    [['emr-steps', '--run-uri', RUN, '--format', 'yaml'], /--format/],
  ])('usage error (exit 2) for %j', (args, message) => {
    const r = plan(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

// ---------------------------------------------------------------------------
// The generated steps on real Hadoop Streaming.

/** s3://bucket/key -> file:// URI under root (a local stand-in for the bucket). */
function mapS3(root: string, arg: string): string {
  return arg.replace(/s3:\/\/([^/,\s]+)/g, (_m, bucket: string) => `file://${path.join(root, bucket)}`);
}

/** A work folder with an S3 stand-in holding what emr_run uploads: the bundles and Diginetica's views. */
function uploadedRun(): { work: string; s3root: string; views: string; layout: ReturnType<typeof emrLayout>; local: (uri: string) => string } {
  const work = tmpDir('vp-emr-hadoop-');
  const s3root = path.join(work, 's3');
  const views = dataViews('diginetica', work);
  const layout = emrLayout(RUN);
  const local = (uri: string): string => mapS3(s3root, uri).replace(/^file:\/\//, '');
  for (const [bundle, uri] of Object.entries(layout.bundles)) {
    fs.mkdirSync(path.dirname(local(uri)), { recursive: true });
    fs.copyFileSync(path.join(DIST, bundle), local(uri));
  }
  fs.mkdirSync(local(layout.input), { recursive: true });
  fs.copyFileSync(views, path.join(local(layout.input), 'views.tsv'));
  return { work, s3root, views, layout, local };
}

/** Runs the steps, in order, as command-runner.jar would on a cluster; returns their job counters (phase<TAB>name<TAB>value). */
function runSteps(work: string, s3root: string, steps: CliStep[], local: (uri: string) => string): string[] {
  const counters: string[] = [];
  for (const [i, step] of steps.entries()) {
    expect(step.Jar).toBe('command-runner.jar');
    expect(step.Args[0]).toBe('hadoop-streaming');
    // command-runner.jar's `hadoop-streaming` = `hadoop jar hadoop-streaming.jar`; the only
    // additions are the local job runner settings a cluster has in its *-site.xml.
    const args = [
      '-D', 'mapreduce.framework.name=local',
      '-D', 'fs.defaultFS=file:///',
      '-D', `hadoop.tmp.dir=${path.join(work, 'hadoop-tmp')}`,
      ...step.Args.slice(1).map((a) => mapS3(s3root, a)),
    ];
    const taskDir = path.join(work, `task${i + 1}`);
    fs.mkdirSync(taskDir);
    const r = spawnSync(path.join(ROOT, 'tools/hadoop/hadoop-streaming'), args, {
      cwd: taskDir,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    if (r.status !== 0) throw new Error(`step ${i + 1} failed (exit ${r.status}):\n${r.stderr.slice(-4000)}`);
    expect(fs.existsSync(path.join(local(option(step.Args, '-output')[0]), '_SUCCESS'))).toBe(true);
    // emr_run reads the counters from this output (the step's stderr log on S3).
    const log = path.join(work, `step${i + 1}.stderr`);
    fs.writeFileSync(log, r.stderr);
    const phase = steps.length === 3 ? ['1', 'supports', '2'][i] : String(i + 1);
    const parsed = sh(`node dist/hadoop-counters.js --phase ${phase} < '${log}'`);
    expect(parsed.code).toBe(0);
    counters.push(...parsed.stdout.trimEnd().split('\n'));
  }
  return counters;
}

describeIf(missingHadoop(), 'EMR steps on the pinned Hadoop (s3:// mapped to local folders)', () => {
  const SLOW = 900_000;

  beforeAll(() => hadoopReady(), SLOW);

  test(
    'Diginetica through the two submitted steps gives the expected table, equal to the plain pipe',
    () => {
      const { work, s3root, views, layout, local } = uploadedRun();

      const steps: CliStep[] = JSON.parse(
        sh(`node dist/job-plan.js emr-steps --run-uri '${RUN}' --reducers 3`).stdout,
      );
      expect(steps).toHaveLength(2);
      const counters = runSteps(work, s3root, steps, local);
      const lines = Number(sh(`wc -l < '${views}'`).stdout.trim());
      expect(counters).toContain(`1\tmap_lines\t${lines}`);
      expect(counters).toContain('2\tresult_rows_out\t59750');
      // What emr_run does after downloading the part files.
      const merged = path.join(work, 'viewed_products.tsv');
      expect(sh(`LC_ALL=C sort -o '${merged}' '${local(layout.output)}'/part-*`).code).toBe(0);
      expect(fs.readdirSync(local(layout.output)).filter((f) => f.startsWith('part-'))).toHaveLength(3);
      expect(facts(merged)).toEqual({ rows: 59750, sum: 61252 });

      const pipe = path.join(work, 'pipe.tsv');
      const p = sh(
        `cat '${views}' | dist/identity-mapper.js 2>/dev/null | LC_ALL=C sort | dist/pairs-reducer.js 2>/dev/null |` +
          ` dist/identity-mapper.js 2>/dev/null | LC_ALL=C sort | dist/sum-reducer.js 2>/dev/null | LC_ALL=C sort > '${pipe}'`,
      );
      expect(p.code).toBe(0);
      expect(fs.readFileSync(merged).equals(fs.readFileSync(pipe))).toBe(true);
      fs.rmSync(work, { recursive: true, force: true });
    },
    SLOW,
  );
  test(
    'Diginetica with --score llr --top 3 --min-count 2 through the three submitted steps: the file run-job.sh writes locally',
    () => {
      const { work, s3root, views, layout, local } = uploadedRun();
      const opts = '--score llr --top 3 --min-count 2';
      const steps: CliStep[] = JSON.parse(sh(`node dist/job-plan.js emr-steps --run-uri '${RUN}' --reducers 3 ${opts}`).stdout);
      expect(steps).toHaveLength(3);
      const counters = runSteps(work, s3root, steps, local);
      expect(counters).toContain('2\tresult_rows_out\t59750');
      const merged = path.join(work, 'viewed_products.tsv');
      expect(sh(`LC_ALL=C sort -o '${merged}' '${local(layout.output)}'/part-*`).code).toBe(0);
      const out = path.join(work, 'local');
      expect(sh(`./run-job.sh --input '${views}' --output '${out}' --reducers 3 ${opts}`).code).toBe(0);
      expect(fs.readFileSync(merged).equals(fs.readFileSync(path.join(out, 'viewed_products.tsv')))).toBe(true);
      fs.rmSync(work, { recursive: true, force: true });
    },
    SLOW,
  );
});
