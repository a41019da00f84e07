/**
 * The one definition of the job: its streaming phases in the order they run
 * (what each reads and writes, its side files, executables and their arguments,
 * key fields, partitioner, comparator, combiner), which phase reads the views,
 * which gives the result and how it is finished, and the settings' defaults.
 * The local runner, the Hadoop runner and the EMR steps are all rendered from
 * here (through the plan, src/job/plan.ts, and runner/job-plan.ts), so what the
 * tests run locally and on Hadoop is what gets submitted to EMR. A new phase is
 * added here alone (docs/job-definition.md).
 */
import { DEFAULT_PAIRS_OPTIONS } from '../core/pairs/options';
import { needsOrder, needsSupports, ScoreName, SCORES } from '../core/rank/scores';

export interface JobSettings {
  /** Number of reduce tasks (mapreduce.job.reduces). */
  reducers: number;
  /** Paths with more distinct products are skipped whole; 0 = no cap. */
  maxPathProducts: number;
  /** In-reducer combining in phase 1 (false = raw weight-1 pairs). */
  combine: boolean;
  /** Command that runs a bundle on a task node. */
  node: string;
  /** What ranks a list (docs/scores.md); any but count needs the supports phase. */
  score: ScoreName;
  /** Targets kept per source (0 = all): phase 2 is then partitioned by source. */
  top: number;
  /** Pairs held by fewer paths are dropped. */
  minCount: number;
}

export const DEFAULT_SETTINGS: JobSettings = {
  reducers: 1,
  maxPathProducts: DEFAULT_PAIRS_OPTIONS.maxPathProducts,
  combine: true,
  node: 'node',
  score: 'count',
  top: 0,
  minCount: 1,
};

/** A phase's id: a word, unique in the job; the runners name its logs, timings and counters by it. */
export type PhaseId = string;

/** What a phase's map tasks read: the views, or every part of an earlier phase's output. */
export type PhaseInput = { kind: 'views' } | { kind: 'phase'; id: PhaseId };

/** A file a task reads from its working directory, made by an earlier phase (Hadoop's -files side data). */
export interface SideFile {
  /** Its name in the task's working directory. */
  name: string;
  /** The phase whose output holds it. */
  from: PhaseId;
  /** Its part file in that output (a phase with one reducer writes one part). */
  part: string;
}

/** The supports phase's output, as phase 2's reducers read it. */
export const SUPPORTS_FILE: SideFile = { name: 'supports.tsv', from: 'supports', part: 'part-00000' };

/** A task's command: a bundle (file name in dist/) and its arguments. */
export interface TaskCommand {
  bundle: string;
  args: string[];
}

export interface PhaseSpec {
  /** 1 = views -> pairs, supports = phase 1's diagonal rows -> one file, 2 = pairs -> summed pairs (lists). */
  id: PhaseId;
  name: string;
  /** What its map tasks read, in order. */
  inputs: PhaseInput[];
  /** Its output folder's name: in the work directory (local, Hadoop), on HDFS, under the EMR run prefix. */
  output: string;
  /** Command that runs a bundle on a task node. */
  node: string;
  /** Bundles (file names in dist/) the phase ships with -files: those of its commands. */
  bundles: string[];
  mapper: TaskCommand;
  reducer: TaskCommand;
  combiner?: TaskCommand;
  /** The shuffle key: the first keyFields TAB-separated fields of a map output line. */
  keyFields: number;
  /** Generic -D options, in order. */
  jobconf: Array<[string, string]>;
  /** Side files shipped with -files besides the bundles. */
  sideFiles: SideFile[];
  /** The partitioner hashes only the first partitionFields fields of the key (KeyFieldBasedPartitioner -k1,N); 0 = the whole key. */
  partitionFields: number;
  /** A fixed number of reducers (the supports phase: one file), else undefined. */
  fixedReducers?: number;
  /** The reducer's option taking the MiB its tables may use (the local runner passes its share of --memory); undefined: it streams. */
  reducerMemoryOption?: string;
  /** Free space the work directory needs before the phase, as a multiple of its input's bytes (docs/operations.md#free-space). */
  spaceFactor: number;
  /**
   * Local runner without --reducers, with mapCopies, when every input part is in line order already:
   * true, the parts are cut into source ranges (one per --bytes-per-reducer, at most one per core), a
   * reducer merges each range (no sort) and the outputs concatenate in order (lib/local-tasks.sh);
   * false, one reducer merges them all.
   */
  rangesIfSorted: boolean;
  /**
   * Its mapper copies every line of its input on unchanged: the plain identity over an earlier
   * phase's parts (rows that all hold a TAB, none over the line limit). The local runner then
   * merges those parts (or their source ranges) straight into the reducers, without a map pass.
   */
  mapCopies: boolean;
}

/** How a runner's shuffle orders a reducer's input: by the whole line (the local runner's LC_ALL=C sort) or by the key only (Hadoop's). */
export const SHUFFLE_ORDERS = ['line', 'key'] as const;
export type ShuffleOrder = (typeof SHUFFLE_ORDERS)[number];

/** How parts become the result file (whole lines in LC_ALL=C byte order): merged (each part is in that order) or sorted. */
export type Finish = 'merge' | 'sort';

export interface JobSpec {
  /** The phases in the order they run; each reads the views or earlier phases' outputs. */
  phases: PhaseSpec[];
  /** The phase that reads the views: its counters tell whether the input was views (run-job.sh's check) and fill the summary. */
  viewsPhase: PhaseId;
  /** The phase whose parts are the result, and how they are finished for each shuffle order. */
  result: { phase: PhaseId; finish: Record<ShuffleOrder, Finish> };
}

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

/**
 * Phase 2 with --top: every pair of a source goes to one reducer (its first key
 * field), still sorted by the whole key, so the reducer sees a source's targets
 * together. dist/partition.js --partition-fields 1 reproduces its hash.
 */
const SOURCE_SHUFFLE: Array<[string, string]> = [
  ['mapred.partitioner.class', 'org.apache.hadoop.mapred.lib.KeyFieldBasedPartitioner'],
  ['mapreduce.partition.keypartitioner.options', '-k1,1'],
  ['mapreduce.job.output.key.comparator.class', 'org.apache.hadoop.io.Text$Comparator'],
];

const IDENTITY_MAPPER: TaskCommand = { bundle: 'identity-mapper.js', args: [] };
// Phase 1's mapper checks the views, where the input file and line are known (for warnings).
const VIEWS_MAPPER: TaskCommand = { bundle: 'identity-mapper.js', args: ['--views'] };
// With --score proximity views need their order, a third column, which the mapper keeps.
const ORDERED_VIEWS_MAPPER: TaskCommand = { bundle: 'identity-mapper.js', args: ['--views', '--order'] };

type PhaseDraft = Omit<PhaseSpec, 'bundles' | 'sideFiles' | 'partitionFields' | 'rangesIfSorted' | 'mapCopies'> & Partial<PhaseSpec>;

function withBundles(phase: PhaseDraft): PhaseSpec {
  const commands = [phase.mapper, phase.reducer, ...(phase.combiner ? [phase.combiner] : [])];
  // Only the plain identity over earlier phases' parts copies its input as it is.
  const m = phase.mapper;
  const mapCopies = m.bundle === IDENTITY_MAPPER.bundle && m.args.length === 0 && phase.inputs.every((i) => i.kind === 'phase');
  return { sideFiles: [], partitionFields: 0, rangesIfSorted: false, mapCopies, ...phase, bundles: [...new Set(commands.map((c) => c.bundle))] };
}

function checkSettings(s: JobSettings): void {
  if (!Number.isInteger(s.reducers) || s.reducers < 1) throw new Error(`reducers must be a positive integer, got ${s.reducers}`);
  if (!Number.isInteger(s.maxPathProducts) || s.maxPathProducts < 0) {
    throw new Error(`maxPathProducts must be a non-negative integer, got ${s.maxPathProducts}`);
  }
  if (!Number.isInteger(s.top) || s.top < 0) throw new Error(`top must be a non-negative integer, got ${s.top}`);
  if (!Number.isInteger(s.minCount) || s.minCount < 1) throw new Error(`minCount must be a positive integer, got ${s.minCount}`);
  if (needsOrder(s.score) && !s.combine) throw new Error(`--no-combine does not apply to --score ${s.score}`);
}

/** The job for these settings: its phases (views -> pairs [-> supports] -> lists), which reads the views, which is the result. */
export function jobSpec(settings: Partial<JobSettings> = {}): JobSpec {
  const s: JobSettings = { ...DEFAULT_SETTINGS, ...settings };
  checkSettings(s);
  const supports = needsSupports(s.score);
  const ordered = needsOrder(s.score);
  const pairsArgs = [`--max-path-products=${s.maxPathProducts}`];
  if (ordered) pairsArgs.push('--proximity');
  if (!s.combine) pairsArgs.push('--no-combine');
  if (supports) pairsArgs.push('--supports');
  const reduces: [string, string] = ['mapreduce.job.reduces', String(s.reducers)];
  const mapKey = (fields: number): [string, string] => ['stream.num.map.output.key.fields', String(fields)];
  // Key = path id: the text before the first TAB (Hadoop's default, set explicitly).
  const pathKey = 1;
  // Key = "source<TAB>target". The combiner's output is split with the
  // reduce-output settings, so they match; the separator is Hadoop's default TAB.
  const pairKey = 2;
  const phase1 = withBundles({
    id: '1',
    name: 'viewed-products phase 1: pairs per path',
    inputs: [{ kind: 'views' }],
    output: 'phase1',
    node: s.node,
    mapper: ordered ? ORDERED_VIEWS_MAPPER : VIEWS_MAPPER,
    reducer: { bundle: 'pairs-reducer.js', args: pairsArgs },
    keyFields: pathKey,
    jobconf: [reduces, mapKey(pathKey), ...SHUFFLE],
    // Without combining it holds one path at a time, so it takes no share.
    reducerMemoryOption: s.combine ? '--memory-mb' : undefined,
    // Its map outputs (a copy of the views, partitioned) and sort's temporary files,
    // each at most the input; its output, the pairs, is checked before the next phase.
    spaceFactor: 2,
  });
  const sumArgs: string[] = [];
  if (s.minCount > 1) sumArgs.push(`--min-count=${s.minCount}`);
  if (supports) sumArgs.push(`--score=${s.score}`, `--supports=${SUPPORTS_FILE.name}`);
  // Proximity's rows carry a 4th column, the weight sum: its combiner and reducer know the score.
  if (ordered) sumArgs.push(`--score=${s.score}`);
  if (s.top > 0) sumArgs.push(`--top=${s.top}`);
  const phase2 = withBundles({
    id: '2',
    name: 'viewed-products phase 2: sum pair weights',
    inputs: [{ kind: 'phase', id: phase1.id }],
    output: 'phase2',
    node: s.node,
    // Phase 1's supports rows are not pairs: the supports phase took them.
    mapper: supports ? { bundle: 'identity-mapper.js', args: ['--off-diagonal'] } : IDENTITY_MAPPER,
    reducer: { bundle: 'sum-reducer.js', args: sumArgs },
    combiner: { bundle: 'sum-reducer.js', args: ['--role=combiner', ...(ordered ? [`--score=${s.score}`] : [])] },
    keyFields: pairKey,
    jobconf: [reduces, mapKey(pairKey), ['stream.num.reduce.output.key.fields', String(pairKey)], ...(s.top > 0 ? SOURCE_SHUFFLE : SHUFFLE)],
    sideFiles: supports ? [SUPPORTS_FILE] : [],
    partitionFields: s.top > 0 ? 1 : 0,
    // Its map outputs, sort's temporary files and its output (then the merged
    // result, once the map outputs are gone), each at most phase 1's output.
    spaceFactor: 3,
    // Phase 1's parts in line order are each a single run of partial sums. Lists (--top, --min-count)
    // are cut into source ranges: their reducer outweighs the merge, and their parts are small to
    // concatenate. A full table is merged into one reducer: the merge and the sum already keep two
    // cores busy, and concatenating range parts copies half of the result (docs/performance.md).
    rangesIfSorted: s.top > 0 || s.minCount > 1,
  });
  // The local runner's parts: each reducer reads whole lines in byte order and writes in
  // that order, so they merge. Hadoop's: sorted by key only (source<TAB>target), which is
  // not whole-line byte order for ids with bytes below TAB, so a full sort.
  const result: JobSpec['result'] = { phase: phase2.id, finish: { line: 'merge', key: 'sort' } };
  if (!supports) return { phases: [phase1, phase2], viewsPhase: phase1.id, result };
  // Phase 1's diagonal rows (a<TAB>a<TAB>n, <TAB><TAB>N) into one file for phase 2's -files.
  const supportsPhase = withBundles({
    id: SUPPORTS_FILE.from,
    name: 'viewed-products supports: paths per product',
    inputs: [{ kind: 'phase', id: phase1.id }],
    output: 'supports',
    node: s.node,
    mapper: { bundle: 'identity-mapper.js', args: ['--diagonal'] },
    reducer: { bundle: 'identity-reducer.js', args: [] },
    keyFields: pathKey,
    jobconf: [['mapreduce.job.reduces', '1'], mapKey(pathKey), ...SHUFFLE],
    fixedReducers: 1,
    // Its files hold phase 1's diagonal rows only: at most its input.
    spaceFactor: 1,
  });
  return { phases: [phase1, supportsPhase, phase2], viewsPhase: phase1.id, result };
}

/** The phases of the job for these settings, in the order they run. */
export function phaseSpecs(settings: Partial<JobSettings> = {}): PhaseSpec[] {
  return jobSpec(settings).phases;
}

/** The phase `id` of specs, or undefined when the job has none. */
export function phaseById(specs: readonly PhaseSpec[], id: PhaseId): PhaseSpec | undefined {
  return specs.find((p) => p.id === id);
}

/** Settings that give the job each of its shapes (which phases run): a score other than count adds the supports phase. */
const JOB_SHAPES: ReadonlyArray<Partial<JobSettings>> = SCORES.map((score) => ({ score }));

/** The bundles any shape of the job runs on the task nodes (what the EMR runner uploads). */
export const BUNDLES: readonly string[] = [...new Set(JOB_SHAPES.flatMap((s) => phaseSpecs(s).flatMap((p) => p.bundles)))];

/** A task command of a phase as words: the node command, where the bundle is, its arguments. */
export function commandWords(phase: PhaseSpec, cmd: TaskCommand, bundlePath: (bundle: string) => string): string[] {
  return [phase.node, bundlePath(cmd.bundle), ...cmd.args];
}

/** Streaming runs a task command as one string, from the task's working directory. */
function streamingCommand(phase: PhaseSpec, cmd: TaskCommand): string {
  return commandWords(phase, cmd, (b) => b).join(' ');
}

export interface StreamingIo {
  inputs: string[];
  output: string;
  /** Where each bundle is, as -files wants it (local paths, hdfs:// or s3:// URIs). */
  bundleUris: (bundle: string) => string;
  /** Where a side file is (the part file its phase wrote); -files gets it as URI#name. */
  sideFileUris?: (file: SideFile) => string;
}

/** hadoop-streaming arguments: generic options (-D, -files) first, then the streaming ones. */
export function streamingArgs(phase: PhaseSpec, io: StreamingIo): string[] {
  const args: string[] = [];
  args.push('-D', `mapreduce.job.name=${phase.name}`);
  for (const [k, v] of phase.jobconf) args.push('-D', `${k}=${v}`);
  const sideUris = phase.sideFiles.map((f) => {
    if (io.sideFileUris === undefined) throw new Error(`phase ${phase.id} needs the location of ${f.name}`);
    return `${io.sideFileUris(f)}#${f.name}`;
  });
  args.push('-files', [...phase.bundles.map(io.bundleUris), ...sideUris].join(','));
  for (const input of io.inputs) args.push('-input', input);
  args.push('-output', io.output);
  args.push('-mapper', streamingCommand(phase, phase.mapper));
  if (phase.combiner) args.push('-combiner', streamingCommand(phase, phase.combiner));
  args.push('-reducer', streamingCommand(phase, phase.reducer));
  return args;
}

/** Where a run's phases read and write (paths or URIs). */
export interface RunLocations {
  /** The views: the input of a phase that reads them. */
  views: string[];
  /** A phase's output folder. */
  output: (phase: PhaseSpec) => string;
  /** A phase's output folder as -files names its side files (a full URI where a bare path would be local); default output. */
  sideOutput?: (phase: PhaseSpec) => string;
  bundleUris: (bundle: string) => string;
}

/** The phase `id` of the job, or an error naming it. */
export function jobPhase(job: JobSpec, id: PhaseId): PhaseSpec {
  const phase = phaseById(job.phases, id);
  if (phase === undefined) throw new Error(`this job has no phase ${id} (its phases: ${job.phases.map((p) => p.id).join(', ')})`);
  return phase;
}

/** A phase's streaming arguments, its inputs and side files found through the job's graph. */
export function phaseStreamingArgs(job: JobSpec, phase: PhaseSpec, at: RunLocations): string[] {
  const inputs = phase.inputs.flatMap((i) => (i.kind === 'views' ? at.views : [at.output(jobPhase(job, i.id))]));
  const side = at.sideOutput ?? at.output;
  return streamingArgs(phase, {
    inputs,
    output: at.output(phase),
    bundleUris: at.bundleUris,
    sideFileUris: (f) => `${side(jobPhase(job, f.from)).replace(/\/+$/, '')}/${f.part}`,
  });
}
