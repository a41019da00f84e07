// What the results were measured with: the machine and the versions of the tools and peers.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths';

/** The first line a command prints (its version, for `--version`). */
export function versionOf(cmd: readonly [string, ...string[]]): string {
  const [bin, ...args] = cmd;
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.split('\n')[0]?.trim() ?? '?';
}

export function duckdbVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@duckdb', 'node-api', 'package.json'), 'utf8'));
    if (typeof pkg !== 'object' || pkg === null || !('version' in pkg) || typeof pkg.version !== 'string') return '';
    return `(@duckdb/node-api ${pkg.version})`;
  } catch {
    return '';
  }
}

export function mariadbVersion(): string {
  const v = versionOf(['mariadbd', '--version']).match(/Ver (\S+)/);
  return `MariaDB ${v?.[1]?.replace(/-.*/, '') ?? ''}`;
}

export function mrjobVersion(): string {
  return versionOf(['python3', '-c', 'import mrjob; print(mrjob.__version__)']);
}

export function machine(): string {
  const mem = totalmem() / 2 ** 30;
  const model = cpus()[0]?.model ?? '?';
  const tools = [
    `Node ${process.version}`,
    versionOf(['gcc', '--version']),
    versionOf(['python3', '--version']),
    versionOf(['ruby', '--version']).replace(/ \(.*$/, '').replace(/p\d+$/, ''),
    versionOf(['sort', '--version']),
  ];
  return `${cpus().length} cores (${model}), ${mem.toFixed(1)} GiB memory; ${tools.join('; ')}`;
}
