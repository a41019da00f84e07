// The results file: header (when, where, how), goals, the sections; written to
// --out (keeping the hand-written discussion below its marker) and --notes.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { table } from './format';
import type { Goal } from './goals';
import { log } from './log';
import { loadRange } from './measure';
import type { Options } from './options';
import { machine } from './versions';

/** Hand-written discussion below this marker survives reruns. */
const MARK = '<!-- discussion: kept across runs -->';

export function resultsMd(o: Options, argv: string[], started: Date, goals: Goal[], sections: string[]): string {
  const minutes = (Date.now() - started.getTime()) / 60000;
  const args = argv.join(' ');
  const loads = loadRange();
  const head = [
    '# Benchmark results',
    '',
    `- date: ${started.toISOString().replace(/\.\d+Z$/, 'Z')} (took ${minutes.toFixed(1)} min)`,
    `- machine: ${machine()}`,
    `- command: \`npm run bench${args ? ` -- ${args}` : ''}\` (from the repository root; data from \`../shared/data\`)`,
    `- load average (1 min) before the timed runs: ${loads.min.toFixed(1)}–${loads.max.toFixed(1)} ` +
      `(${cpus().length} cores; above ~1 other work shared the machine and wall times are inflated; cpu times less so)`,
    `- runs: ${o.runs} per fast executable, ${o.slowRuns} per Python/Ruby reducer, ${o.jobRuns} per whole job ` +
      `(ours, DuckDB), ${o.dbRuns} for MariaDB and mrjob, ${o.scaleRuns} per scaling point, ${o.storeRuns} per store-scale job`,
    '- environment: every timed process runs with `LC_ALL=C` and without `NODE_EXTRA_CA_CERTS` (when set, ' +
      'Node 20 parses that CA bundle at every start, about 50 ms here; run-job.sh drops it for its processes too)',
  ].join('\n');
  const goalsMd = [
    '## Goals',
    '',
    table(
      ['goal', 'measured', 'met'],
      goals.map((g) => [g.goal, g.measured, g.met ? 'yes' : '**no**']),
    ),
  ].join('\n');
  return [head, goalsMd, ...sections].join('\n\n') + '\n';
}

/** Prints the results and writes them to --out (with the chart beside it) and --notes. */
export function writeResults(o: Options, results: string, svg: string | undefined): void {
  let md = results;
  process.stdout.write(md);
  if (o.out !== undefined) {
    const old = existsSync(o.out) ? readFileSync(o.out, 'utf8') : '';
    const at = old.indexOf(MARK);
    md += `\n${at >= 0 ? old.slice(at) : `${MARK}\n`}`;
    writeFileSync(o.out, md);
    log(`wrote ${o.out}`);
    if (svg !== undefined) {
      const chart = join(o.out, '..', 'scaling.svg');
      writeFileSync(chart, svg);
      log(`wrote ${chart}`);
    }
  }
  if (o.notes !== undefined) {
    writeFileSync(o.notes, md);
    if (svg !== undefined && o.out === undefined) writeFileSync(`${o.notes}.svg`, svg);
    log(`wrote ${o.notes}`);
  }
}
