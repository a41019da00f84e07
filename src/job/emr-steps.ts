/**
 * Amazon EMR step definitions for the two streaming phases, rendered from the
 * one definition in ./phases.ts (phaseSpecs + streamingArgs), so what runs on
 * EMR is what the Hadoop tests run. Pure: no I/O, no clock.
 *
 * Everything a run touches lives under one S3 "run" prefix (see emrLayout),
 * unique per run because Hadoop refuses an existing output directory:
 *
 *   RUN/dist/<bundle>           the dist/ bundles, shipped to the tasks with -files
 *   RUN/bootstrap-node.sh       the bootstrap action (new clusters only)
 *   RUN/input/                  the exported views (phase-1 input)
 *   RUN/phase1/                 phase-1 output = phase-2 input (and the supports step's)
 *   RUN/supports/part-00000     with a score: the supports, phase 2's -files side data
 *   RUN/output/                 phase-2 output: the part files of the result
 */
import { BUNDLES, JobSettings, PhaseSpec, phaseSpecs, streamingArgs } from './phases';

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
  phase1: string;
  supports: string;
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

export function emrLayout(runUri: string): EmrLayout {
  const run = normalizeS3Uri(runUri);
  const bundles: Record<string, string> = {};
  for (const b of BUNDLES) bundles[b] = `${run}/dist/${b}`;
  return {
    run,
    bundles,
    bootstrap: `${run}/${BOOTSTRAP_SCRIPT}`,
    input: `${run}/input`,
    phase1: `${run}/phase1`,
    supports: `${run}/supports`,
    output: `${run}/output`,
  };
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
 * The phases as CLI steps, in order: phase 2 reads what phase 1 writes; with a
 * score, a supports step between them reads phase 1's output too and writes
 * the one file that phase 2 ships with -files (s3://…/part-00000#supports.tsv,
 * fetched when phase 2 starts, after the supports step has written it).
 */
export function emrSteps(opts: EmrStepOptions): CliStep[] {
  const layout = emrLayout(opts.runUri);
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
  const io = (p: PhaseSpec) =>
    p.id === 1
      ? { inputs, output: layout.phase1, bundleUris }
      : { inputs: [layout.phase1], output: p.id === 2 ? layout.output : layout.supports, bundleUris, sideFileUris: () => `${layout.supports}/part-00000` };
  return phaseSpecs(opts.settings).map((p) => step(p.name, streamingArgs(p, io(p))));
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
