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
import { SETTINGS_OPTIONS, settingsFrom, takeRepeated } from '../src/job/plan-options';

const NAME = 'job-plan';
const SUMMARY = `Prints the streaming arguments of a phase: job-plan.js hadoop-args --phase 1|2
--input P [--input P ...] --output P --files-dir DIR [options]; arguments are
NUL-terminated.`;

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

/** Subcommands: name -> renderer of what goes to stdout. */
const COMMANDS: Record<string, (argv: string[]) => string> = {
  'hadoop-args': (argv) => hadoopArgs(argv).map((a) => `${a}\0`).join(''),
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
