/**
 * A small, strict option parser for the executables (`--name=value`,
 * `--name value`, `--flag`), and the wrapper that runs an executable's main
 * with the exit-code rules: 0 on success and on a closed stdout (EPIPE),
 * 2 on bad options, 1 on any other failure, with one message on stderr.
 */
import { BrokenPipe } from './fd';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure with its own documented exit code (the message is printed as is). */
export class ExitError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'ExitError';
  }
}

export interface IntOption {
  kind: 'int';
  help: string;
  default?: number;
  min?: number;
}
export interface StringOption {
  kind: 'string';
  help: string;
  default?: string;
}
export interface FlagOption {
  kind: 'flag';
  help: string;
}
/** Options by name (`max-line-bytes`), in the order --help lists them. */
export type OptionSpecs = Record<string, IntOption | StringOption | FlagOption>;

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
type ValueOf<O> = O extends FlagOption
  ? boolean
  : O extends IntOption
    ? O extends { default: number } ? number : number | undefined
    : O extends { default: string } ? string : string | undefined;
/** Parsed options: `--max-line-bytes` as `maxLineBytes`; flags false when absent; options with a default always set. */
export type OptionValues<S extends OptionSpecs> = { [K in keyof S & string as CamelCase<K>]: ValueOf<S[K]> };

function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Parses argv by option specs: `--max-line-bytes` as `maxLineBytes`, typed by the spec's kind. */
export function parseOptions<S extends OptionSpecs>(argv: readonly string[], specs: S): OptionValues<S>;
export function parseOptions(argv: readonly string[], specs: OptionSpecs): Record<string, string | number | boolean> {
  const byName = parseArgv(argv, specs);
  const values: Record<string, string | number | boolean> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = byName.get(name) ?? ('default' in spec ? spec.default : spec.kind === 'flag' ? false : undefined);
    if (value !== undefined) values[camelCase(name)] = value;
  }
  return values;
}

/** The values given on the command line, by option name (defaults not applied). */
function parseArgv(argv: readonly string[], specs: OptionSpecs): Map<string, string | number | boolean> {
  const out = new Map<string, string | number | boolean>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) throw new UsageError(`unknown option --${name}`);
    if (spec.kind === 'flag') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      out.set(name, true);
      continue;
    }
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    else throw new UsageError(`--${name} needs a value`);
    if (spec.kind === 'int') {
      if (!/^\d+$/.test(value)) throw new UsageError(`--${name} needs a whole number, got ${JSON.stringify(value)}`);
      const n = Number(value);
      if (!Number.isSafeInteger(n) || (spec.min !== undefined && n < spec.min)) {
        throw new UsageError(`--${name} must be a whole number >= ${spec.min ?? 0}, got ${value}`);
      }
      out.set(name, n);
    } else {
      out.set(name, value);
    }
  }
  return out;
}

/** How a streaming executable is called; one that reads no stdin gives its own synopsis lines. */
export const STREAM_SYNOPSIS: readonly string[] = ['[options] < input > output'];

export function usage(name: string, summary: string, specs: OptionSpecs, synopsis: readonly string[] = STREAM_SYNOPSIS): string {
  const lines = synopsis.map((s, i) => `${i === 0 ? 'Usage:' : '      '} ${name} ${s}`);
  lines.push('', summary, '', 'Options:');
  for (const [option, s] of Object.entries(specs)) {
    const arg = s.kind === 'flag' ? '' : s.kind === 'int' ? '=N' : '=VALUE';
    const def = s.kind !== 'flag' && s.default !== undefined ? ` (default ${s.default})` : '';
    lines.push(`  --${option}${arg}`.padEnd(30) + s.help + def);
  }
  lines.push('  --help'.padEnd(30) + 'show this help');
  return lines.join('\n') + '\n';
}

/** Runs an executable: parses options, handles --help, maps failures (also of an async main) to exit codes. */
export function runMain<S extends OptionSpecs>(
  name: string,
  summary: string,
  specs: S,
  main: (opts: OptionValues<S>) => void | Promise<void>,
  synopsis: readonly string[] = STREAM_SYNOPSIS,
): void {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage(name, summary, specs, synopsis));
    return;
  }
  const fail = (e: unknown): never => {
    if (e instanceof BrokenPipe) process.exit(0);
    if (e instanceof UsageError) {
      process.stderr.write(`${name}: ${e.message}\n${name}: see --help\n`);
      process.exit(2);
    }
    process.stderr.write(`${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(e instanceof ExitError ? e.code : 1);
  };
  try {
    const done = main(parseOptions(argv, specs));
    if (done instanceof Promise) done.catch(fail);
  } catch (e) {
    fail(e);
  }
}
