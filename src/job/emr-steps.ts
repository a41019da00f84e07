/**
 * Amazon EMR step definitions, one step per phase of the one definition in
 * ./phases.ts (jobSpec + phaseStreamingArgs), so what runs on EMR is what the
 * Hadoop tests run. Pure: no I/O, no clock.
 *
 * Everything a run touches lives under one S3 "run" prefix (see emrLayout),
 * unique per run because Hadoop refuses an existing output directory:
 *
 *   RUN/dist/<bundle>           the dist/ bundles, shipped to the tasks with -files
 *   RUN/bootstrap-node.sh       the bootstrap action (new clusters only)
 *   RUN/input/                  the exported views (the views phase's input)
 *   RUN/<phase output>/         each phase's output (phase1/, with a score supports/),
 *                               read by later phases as input or -files side data
 *   RUN/output/                 the result phase's output: the part files of the result
 */
import { BUNDLES, JobSettings, JobSpec, jobSpec, phaseStreamingArgs } from './phases';

/** The jar that runs `hadoop-streaming` on EMR 4+ (release-label clusters). */
export const COMMAND_RUNNER = 'command-runner.jar';

export type ClusterTarget = 'new-cluster' | 'existing-cluster';

export type ActionOnFailure = 'TERMINATE_CLUSTER' | 'CANCEL_AND_WAIT' | 'CONTINUE';

/**
 * ActionOnFailure, chosen per target:
 * - a cluster we create exists only for this job and auto-terminates, so a failed
 *   phase terminates it at once (TERMINATE_CLUSTER): phase 2 is never started on
 *   a missing phase-1 output and nothing is billed while nobody waits;
 * - on an existing (possibly shared) cluster we must not kill it, but phase 2
 *   must not run either: CANCEL_AND_WAIT cancels our pending steps and leaves
 *   the cluster up for its other users.
 * CONTINUE is never right: phase 2 would run on a partial or absent phase 1.
 */
export function actionOnFailure(target: ClusterTarget): ActionOnFailure {
  return target === 'new-cluster' ? 'TERMINATE_CLUSTER' : 'CANCEL_AND_WAIT';
}

/** One step in the JSON that `aws emr add-steps|create-cluster --steps file://…` read. */
export interface CliStep {
  Type: 'CUSTOM_JAR';
  Name: string;
  ActionOnFailure: ActionOnFailure;
  Jar: typeof COMMAND_RUNNER;
  Args: string[];
}

/** The same step as the EMR API (AddJobFlowSteps / RunJobFlow, SDKs) spells it. */
export interface ApiStep {
  Name: string;
  ActionOnFailure: ActionOnFailure;
  HadoopJarStep: { Jar: string; Args: string[] };
}

export interface EmrLayout {
  run: string;
  /** bundle file name -> its S3 URI */
  bundles: Record<string, string>;
  bootstrap: string;
  input: string;
  /** phase id -> its output folder: RUN/<its output name>, the result phase's RUN/output */
  phases: Record<string, string>;
  output: string;
}

export const BOOTSTRAP_SCRIPT = 'bootstrap-node.sh';

const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/.*)?$/;

/** Validates an s3://BUCKET[/PREFIX] URI and returns it without trailing slashes. */
export function normalizeS3Uri(uri: string): string {
  const m = S3_URI.exec(uri);
  if (m === null) throw new Error(`not an s3://BUCKET/PREFIX URI: ${JSON.stringify(uri)}`);
  const key = (m[2] ?? '').replace(/\/+$/, '');
  if (/\/\//.test(key)) throw new Error(`empty path segment in ${JSON.stringify(uri)}`);
  if (/[\s,#*?{}[\]\\]/.test(key)) {
    // Whitespace would split the streaming command line; ',' separates -files
    // entries, '#' names a symlink in them, and Hadoop expands glob characters
    // in -input paths.
    throw new Error(`S3 prefix must not contain whitespace, ',', '#' or glob characters (*?{}[]\\): ${JSON.stringify(uri)}`);
  }
  return `s3://${m[1]}${key}`;
}

/** Where a run's files go, for the job of these settings (its phases' outputs). */
export function emrLayout(runUri: string, settings: Partial<JobSettings> = {}): EmrLayout {
  const run = normalizeS3Uri(runUri);
  const job = jobSpec(settings);
  const bundles: Record<string, string> = {};
  for (const b of BUNDLES) bundles[b] = `${run}/dist/${b}`;
  const output = `${run}/output`;
  const phases: Record<string, string> = {};
  for (const p of job.phases) phases[p.id] = p.id === job.result.phase ? output : `${run}/${p.output}`;
  return { run, bundles, bootstrap: `${run}/${BOOTSTRAP_SCRIPT}`, input: `${run}/input`, phases, output };
}

export interface EmrStepOptions {
  /** The run prefix: s3://BUCKET/PREFIX/runs/RUN_ID (unique per run). */
  runUri: string;
  /** Phase-1 inputs; default: the run's input folder. */
  inputs?: string[];
  target: ClusterTarget;
  settings?: Partial<JobSettings>;
}

/**
 * The phases as CLI steps, in the order they run: each reads the views or what
 * earlier steps wrote; a side file is an earlier step's part, shipped with
 * -files (s3://…/part-00000#supports.tsv, fetched when the reading step starts,
 * after the writing step has written it).
 */
export function emrSteps(opts: EmrStepOptions): CliStep[] {
  const job: JobSpec = jobSpec(opts.settings);
  const layout = emrLayout(opts.runUri, opts.settings);
  const inputs = (opts.inputs ?? [layout.input]).map(normalizeS3Uri);
  if (inputs.length === 0) throw new Error('at least one input is needed');
  const bundleUris = (b: string): string => {
    const uri = layout.bundles[b];
    if (uri === undefined) throw new Error(`unknown bundle ${b}`);
    return uri;
  };
  const action = actionOnFailure(opts.target);
  const step = (name: string, streaming: string[]): CliStep => ({
    Type: 'CUSTOM_JAR',
    Name: name,
    ActionOnFailure: action,
    Jar: COMMAND_RUNNER,
    Args: ['hadoop-streaming', ...streaming],
  });
  const at = { views: inputs, output: (p: { id: string }) => layout.phases[p.id], bundleUris };
  return job.phases.map((p) => step(p.name, phaseStreamingArgs(job, p, at)));
}

/** What the AWS CLI sends for a CLI step (its CUSTOM_JAR conversion, field for field). */
export function toApiStep(step: CliStep): ApiStep {
  return {
    Name: step.Name,
    ActionOnFailure: step.ActionOnFailure,
    HadoopJarStep: { Jar: step.Jar, Args: [...step.Args] },
  };
}

/**
 * The S3 objects the steps ship with -files (must exist before submission):
 * not a side file (URI#name), which an earlier step writes.
 */
export function shippedObjects(steps: readonly CliStep[]): string[] {
  const out: string[] = [];
  for (const s of steps) {
    for (let i = 0; i < s.Args.length - 1; i++) {
      if (s.Args[i] !== '-files') continue;
      for (const uri of s.Args[i + 1].split(',')) if (!uri.includes('#') && !out.includes(uri)) out.push(uri);
    }
  }
  return out;
}
