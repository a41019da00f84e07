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

/** An option of the untyped form: a list of specs, parsed into an Options record keyed by option name. */
export interface OptionSpec {
  name: string;
  kind: 'flag' | 'int' | 'string';
  help: string;
  default?: string | number | boolean;
  min?: number;
}

export type Options = Record<string, string | number | boolean>;

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

function specList(specs: OptionSpecs | readonly OptionSpec[]): readonly OptionSpec[] {
  return isSpecList(specs) ? specs : Object.entries(specs).map(([name, spec]) => ({ name, ...spec }));
}

function isSpecList(specs: OptionSpecs | readonly OptionSpec[]): specs is readonly OptionSpec[] {
  return Array.isArray(specs);
}

/** Parses argv by option specs: typed values from a spec object, an Options record from a spec list. */
export function parseOptions<S extends OptionSpecs>(argv: readonly string[], specs: S): OptionValues<S>;
export function parseOptions(argv: readonly string[], specs: readonly OptionSpec[]): Options;
export function parseOptions(argv: readonly string[], specs: OptionSpecs | readonly OptionSpec[]): Record<string, string | number | boolean | undefined> {
  const byName = parseList(argv, specList(specs));
  if (isSpecList(specs)) return byName;
  const values: Record<string, string | number | boolean | undefined> = {};
  for (const [name, spec] of Object.entries(specs)) values[camelCase(name)] = byName[name] ?? (spec.kind === 'flag' ? false : undefined);
  return values;
}

function parseList(argv: readonly string[], specs: readonly OptionSpec[]): Options {
  const out: Options = {};
  for (const s of specs) if (s.default !== undefined) out[s.name] = s.default;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new UsageError(`unknown option --${name}`);
    if (spec.kind === 'flag') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      out[name] = true;
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
      out[name] = n;
    } else {
      out[name] = value;
    }
  }
  return out;
}

export function usage(name: string, summary: string, specs: OptionSpecs | readonly OptionSpec[]): string {
  const lines = [`Usage: ${name} [options] < input > output`, '', summary, '', 'Options:'];
  for (const s of specList(specs)) {
    const arg = s.kind === 'flag' ? '' : s.kind === 'int' ? '=N' : '=VALUE';
    const def = s.default !== undefined && s.kind !== 'flag' ? ` (default ${s.default})` : '';
    lines.push(`  --${s.name}${arg}`.padEnd(30) + s.help + def);
  }
  lines.push('  --help'.padEnd(30) + 'show this help');
  return lines.join('\n') + '\n';
}

/** Runs an executable: parses options, handles --help, maps failures to exit codes. */
export function runMain<S extends OptionSpecs>(
  name: string,
  summary: string,
  specs: S,
  main: (opts: OptionValues<S>) => void,
): void {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage(name, summary, specs));
    return;
  }
  try {
    main(parseOptions(argv, specs));
  } catch (e) {
    if (e instanceof BrokenPipe) process.exit(0);
    if (e instanceof UsageError) {
      process.stderr.write(`${name}: ${e.message}\n${name}: see --help\n`);
      process.exit(2);
    }
    process.stderr.write(`${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
