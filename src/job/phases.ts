/**
 * The one definition of the two streaming phases. The local Hadoop runner and
 * the EMR step generator both render their arguments from here, so what the
 * tests run on Hadoop is what gets submitted to EMR.
 */

export interface JobSettings {
  /** Number of reduce tasks (mapreduce.job.reduces). */
  reducers: number;
  /** Paths with more distinct products are skipped whole; 0 = no cap. */
  maxPathProducts: number;
  /** In-reducer combining in phase 1 (false = raw weight-1 pairs). */
  combine: boolean;
  /** Command that runs a bundle on a task node. */
  node: string;
}

export const DEFAULT_SETTINGS: JobSettings = {
  reducers: 1,
  maxPathProducts: 1000,
  combine: true,
  node: 'node',
};

export interface PhaseSpec {
  /** 1 = views -> pairs, 2 = pairs -> summed pairs. */
  id: 1 | 2;
  name: string;
  /** Bundles (file names in dist/) the phase ships with -files. */
  bundles: string[];
  mapper: string;
  reducer: string;
  combiner?: string;
  /** Generic -D options, in order. */
  jobconf: Array<[string, string]>;
}

/** The bundles every phase needs on the task nodes. */
export const BUNDLES = ['identity-mapper.js', 'pairs-reducer.js', 'sum-reducer.js'] as const;

/**
 * How both phases shuffle, spelled out rather than left to defaults: whole-key
 * hash partitioning (what dist/partition.js reproduces for the local runner)
 * and raw byte order of the Text key (what LC_ALL=C sort gives). Streaming
 * runs the old mapred API, so the partitioner is the mapred.* key and class
 * (the mapreduce.job.* key is refused in that mode).
 */
const SHUFFLE: Array<[string, string]> = [
  ['mapred.partitioner.class', 'org.apache.hadoop.mapred.lib.HashPartitioner'],
  ['mapreduce.job.output.key.comparator.class', 'org.apache.hadoop.io.Text$Comparator'],
];

function command(s: JobSettings, bundle: string, args: string[] = []): string {
  return [s.node, bundle, ...args].join(' ');
}

export function phaseSpecs(settings: Partial<JobSettings> = {}): [PhaseSpec, PhaseSpec] {
  const s: JobSettings = { ...DEFAULT_SETTINGS, ...settings };
  if (!Number.isInteger(s.reducers) || s.reducers < 1) throw new Error(`reducers must be a positive integer, got ${s.reducers}`);
  if (!Number.isInteger(s.maxPathProducts) || s.maxPathProducts < 0) {
    throw new Error(`maxPathProducts must be a non-negative integer, got ${s.maxPathProducts}`);
  }
  const pairsArgs = [`--max-path-products=${s.maxPathProducts}`];
  if (!s.combine) pairsArgs.push('--no-combine');
  const phase1: PhaseSpec = {
    id: 1,
    name: 'viewed-products phase 1: pairs per path',
    bundles: ['identity-mapper.js', 'pairs-reducer.js'],
    mapper: command(s, 'identity-mapper.js'),
    reducer: command(s, 'pairs-reducer.js', pairsArgs),
    jobconf: [
      ['mapreduce.job.reduces', String(s.reducers)],
      // Key = path id: the text before the first TAB (Hadoop's default, set explicitly).
      ['stream.num.map.output.key.fields', '1'],
      ...SHUFFLE,
    ],
  };
  const phase2: PhaseSpec = {
    id: 2,
    name: 'viewed-products phase 2: sum pair weights',
    bundles: ['identity-mapper.js', 'sum-reducer.js'],
    mapper: command(s, 'identity-mapper.js'),
    reducer: command(s, 'sum-reducer.js'),
    combiner: command(s, 'sum-reducer.js', ['--role=combiner']),
    jobconf: [
      ['mapreduce.job.reduces', String(s.reducers)],
      // Key = "source<TAB>target": the first two TAB-separated fields. The
      // combiner's output is split with the reduce-output settings, so they match.
      // The field separator is Hadoop's default TAB.
      ['stream.num.map.output.key.fields', '2'],
      ['stream.num.reduce.output.key.fields', '2'],
      ...SHUFFLE,
    ],
  };
  return [phase1, phase2];
}

export interface StreamingIo {
  inputs: string[];
  output: string;
  /** Where each bundle is, as -files wants it (local paths, hdfs:// or s3:// URIs). */
  bundleUris: (bundle: string) => string;
}

/** hadoop-streaming arguments: generic options (-D, -files) first, then the streaming ones. */
export function streamingArgs(phase: PhaseSpec, io: StreamingIo): string[] {
  const args: string[] = [];
  args.push('-D', `mapreduce.job.name=${phase.name}`);
  for (const [k, v] of phase.jobconf) args.push('-D', `${k}=${v}`);
  args.push('-files', phase.bundles.map(io.bundleUris).join(','));
  for (const input of io.inputs) args.push('-input', input);
  args.push('-output', io.output);
  args.push('-mapper', phase.mapper);
  if (phase.combiner) args.push('-combiner', phase.combiner);
  args.push('-reducer', phase.reducer);
  return args;
}
