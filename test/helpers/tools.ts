/**
 * Why a suite cannot run on this machine, or null when it can: one check per
 * tool the slower suites need, for describeIf/testIf (./suite.ts).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './exec';
import { findMariaDb } from './mariadb';

/** CHECK's answer, asked once per jest run (the checks start JVMs and Python): cached in the run's TMPDIR. */
function once(name: string, check: () => string | null): string | null {
  const run = process.env.VP_JEST_TMPDIR;
  if (run === undefined) return check();
  const file = path.join(run, 'checks', name);
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8');
    return text === '' ? null : text;
  }
  const answer = check();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Whole or not at all: another suite may be reading it.
  fs.writeFileSync(`${file}.${process.pid}`, answer ?? '');
  fs.renameSync(`${file}.${process.pid}`, file);
  return answer;
}

function has(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/** MariaDB's server and clients (the job's mysql and mysqlimport too). */
export function missingMariaDb(): string | null {
  const tools = findMariaDb();
  return typeof tools === 'string' ? tools : null;
}

/** Hadoop: an installed one, or java and mvn for `npm run setup:hadoop`. */
export function missingHadoop(): string | null {
  return once('hadoop', hadoopCheck);
}

function hadoopCheck(): string | null {
  const installed = has('hadoop', ['version']) || (process.env.HADOOP_HOME ?? '') !== '';
  if (installed) return null;
  const missing = [];
  if (!has('java', ['-version'])) missing.push('java');
  if (!has('mvn', ['-v'])) missing.push('mvn');
  return missing.length === 0 ? null : `no Hadoop installed and ${missing.join(' and ')} not found (npm run setup:hadoop needs java and mvn)`;
}

/** The pinned Hadoop in .hadoop (npm run setup:hadoop, .ci/run) or one on PATH. */
export function missingPinnedHadoop(): string | null {
  return fs.existsSync(path.join(ROOT, '.hadoop')) || has('bash', ['-c', 'command -v hadoop']) ? null : 'no Hadoop (npm run setup:hadoop)';
}

/** java and mvn, for the MiniCluster (npm run cluster:up). */
export function missingCluster(): string | null {
  return once('cluster', clusterCheck);
}

function clusterCheck(): string | null {
  const missing = ['java', 'mvn'].filter((cmd) => !has(cmd, cmd === 'java' ? ['-version'] : ['-v']));
  return missing.length === 0 ? null : `${missing.join(' and ')} not found (npm run cluster:up needs them)`;
}

/** The AWS CLI and moto's server, for the EMR runner against moto. */
export function missingMoto(): string | null {
  return once('moto', motoCheck);
}

function motoCheck(): string | null {
  const missing = [];
  if (!has('aws', ['--version'])) missing.push('aws (pip install awscli)');
  if (!has('moto_server', ['--help'])) missing.push("moto_server (pip install 'moto[server]')");
  return missing.length === 0 ? null : `not installed: ${missing.join(', ')}`;
}

export const CHROMIUM = '/usr/bin/chromium';

export function missingChromium(): string | null {
  return fs.existsSync(CHROMIUM) ? null : `${CHROMIUM} not installed (apt-get install chromium)`;
}

export const GNU_TIME = '/usr/bin/time';

export function missingGnuTime(): string | null {
  return fs.existsSync(GNU_TIME) ? null : `${GNU_TIME} (GNU time, Debian package "time") is not installed`;
}

/** A file the suite reads, by its path. */
export function missingFile(file: string): string | null {
  return fs.existsSync(file) ? null : `missing ${file}`;
}
