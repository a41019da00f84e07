/**
 * Renders the streaming phases of src/job/phases.ts for the runners, so the
 * shell scripts never spell Hadoop arguments themselves.
 *
 *   job-plan.js hadoop-args --phase 1|2 --input P [--input P ...] --output P
 *               --files-dir DIR [--reducers N] [--max-path-products N] [--no-combine] [--node CMD]
 *
 * prints the hadoop-streaming arguments, each terminated by NUL (read them in
 * bash with `mapfile -d ''`).
 */
import * as path from 'node:path';
import { parseOptions, UsageError } from '../src/io/cli';
import { phaseSpecs, streamingArgs } from '../src/job/phases';
import { ClusterTarget, emrLayout, emrSteps, shippedObjects, toApiStep } from '../src/job/emr-steps';
import { SETTINGS_OPTIONS, settingsFrom, takeRepeated } from '../src/job/plan-options';

const NAME = 'job-plan';
const SUMMARY = `Prints the streaming arguments of a phase: job-plan.js hadoop-args --phase 1|2
--input P [--input P ...] --output P --files-dir DIR [options]; arguments are
NUL-terminated.
EMR: job-plan.js emr-steps --run-uri s3://B/P/runs/ID [--input S3URI ...]
[--cluster new|existing] [--format cli|api] [options] prints both steps as JSON
for aws emr add-steps|create-cluster --steps file://...; job-plan.js emr-layout
--run-uri URI prints where a run's files go (name<TAB>uri).
Options: --reducers N, --max-path-products N, --no-combine, --node CMD.`;

function hadoopArgs(argv: string[]): string[] {
  const { values: inputs, rest } = takeRepeated(argv, 'input');
  const opts = parseOptions(rest, [
    { name: 'phase', kind: 'int', min: 1, help: '1 or 2' },
    { name: 'output', kind: 'string', help: 'output directory' },
    { name: 'files-dir', kind: 'string', help: 'directory (or URI prefix) holding the bundles' },
    ...SETTINGS_OPTIONS,
  ]);
  const phase = opts.phase;
  if (phase !== 1 && phase !== 2) throw new UsageError('--phase must be 1 or 2');
  if (inputs.length === 0) throw new UsageError('--input is required');
  if (typeof opts.output !== 'string') throw new UsageError('--output is required');
  const filesDir = opts['files-dir'];
  if (typeof filesDir !== 'string') throw new UsageError('--files-dir is required');
  const spec = phaseSpecs(settingsFrom(opts))[phase - 1];
  const join = /^[a-z][a-z0-9+.-]*:\/\//i.test(filesDir)
    ? (b: string) => `${filesDir.replace(/\/+$/, '')}/${b}`
    : (b: string) => path.resolve(filesDir, b);
  return streamingArgs(spec, { inputs, output: opts.output, bundleUris: join });
}

/**
 * emr-steps --run-uri s3://B/P/runs/ID [--input URI ...] [--cluster new|existing]
 *           [--format cli|api] [settings]
 * prints the JSON array of both phases' steps: `cli` (default) is what
 * `aws emr add-steps|create-cluster --steps file://…` read, `api` the
 * HadoopJarStep form of the EMR API and SDKs.
 */
function emrStepsJson(argv: string[]): string {
  const { values: inputs, rest } = takeRepeated(argv, 'input');
  const opts = parseOptions(rest, [
    { name: 'run-uri', kind: 'string', help: 's3:// prefix of this run' },
    { name: 'cluster', kind: 'string', default: 'new', help: 'new or existing (sets ActionOnFailure)' },
    { name: 'format', kind: 'string', default: 'cli', help: 'cli or api' },
    ...SETTINGS_OPTIONS,
  ]);
  const runUri = opts['run-uri'];
  if (typeof runUri !== 'string') throw new UsageError('--run-uri is required');
  const cluster = opts.cluster;
  if (cluster !== 'new' && cluster !== 'existing') throw new UsageError('--cluster must be new or existing');
  const format = opts.format;
  if (format !== 'cli' && format !== 'api') throw new UsageError('--format must be cli or api');
  const target: ClusterTarget = cluster === 'new' ? 'new-cluster' : 'existing-cluster';
  const steps = usage(() =>
    emrSteps({ runUri, inputs: inputs.length > 0 ? inputs : undefined, target, settings: settingsFrom(opts) }),
  );
  return `${JSON.stringify(format === 'cli' ? steps : steps.map(toApiStep), null, 2)}\n`;
}

/**
 * emr-layout --run-uri URI: prints `name<TAB>s3 uri` lines (bundles as dist/<file>),
 * then one `file<TAB>uri` line per object the steps ship with -files.
 */
function emrLayoutLines(argv: string[]): string {
  const opts = parseOptions(argv, [{ name: 'run-uri', kind: 'string', help: 's3:// prefix of this run' }]);
  const runUri = opts['run-uri'];
  if (typeof runUri !== 'string') throw new UsageError('--run-uri is required');
  const l = usage(() => emrLayout(runUri));
  const rows: Array<[string, string]> = [['run', l.run], ['bootstrap', l.bootstrap], ['input', l.input], ['phase1', l.phase1], ['output', l.output]];
  for (const [b, uri] of Object.entries(l.bundles)) rows.push([`dist/${b}`, uri]);
  // The -files lists name bundles only, whatever the settings and cluster: the default steps give them all.
  for (const uri of shippedObjects(emrSteps({ runUri, target: 'new-cluster' }))) rows.push(['file', uri]);
  return rows.map(([k, v]) => `${k}\t${v}\n`).join('');
}

/** Runs f, turning its validation errors into usage errors (exit 2). */
function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** Subcommands: name -> renderer of what goes to stdout. */
const COMMANDS: Record<string, (argv: string[]) => string> = {
  'hadoop-args': (argv) => hadoopArgs(argv).map((a) => `${a}\0`).join(''),
  'emr-steps': emrStepsJson,
  'emr-layout': emrLayoutLines,
};

function main(): void {
  const [command, ...rest] = process.argv.slice(2);
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(`${SUMMARY}\n\nCommands: ${Object.keys(COMMANDS).join(', ')}\n`);
    return;
  }
  try {
    const render = COMMANDS[command];
    if (render === undefined) throw new UsageError(`unknown command ${JSON.stringify(command)} (known: ${Object.keys(COMMANDS).join(', ')})`);
    process.stdout.write(render(rest));
  } catch (e) {
    process.stderr.write(`${NAME}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  }
}

main();
