/**
 * The plan the runners loop over: the job of src/job/phases.ts as TAB-separated
 * lines (`job-plan.js plan`, docs/job-definition.md), so that no runner names a
 * phase. Pure: no I/O.
 *
 *   views-phase ID            the phase whose counters say whether the input was views
 *   result ID                 the phase whose parts are the result
 *   finish line|key merge|sort  how they are finished, by the runner's shuffle order
 *   phase ID                  starts a phase's lines; phases come in the order they run
 *   output NAME               its output folder
 *   input views | input phase ID    what its map tasks read (one line each)
 *   side-file NAME ID PART    a file its tasks read as NAME: part PART of phase ID's output
 *   space-factor N            free space needed before it, N x its input's bytes
 * and, given where the bundles are (the local runner), each phase's tasks: mapper WORD..., reducer WORD..., combiner WORD...,
 * key-fields N, partition-fields N, reducers N (a fixed number), reducer-memory OPTION,
 * ranges-if-sorted, map-copies.
 */
import { commandWords, JobSpec, PhaseSpec, SHUFFLE_ORDERS } from './phases';

// Ids and names go into file names and plan lines: one word.
const WORD = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const PART = /^part-[0-9]{5}$/;
// What the runners keep beside the phases' outputs (work directory, WORK/hadoop, the EMR run prefix).
const RESERVED = new Set([
  'input', 'output', 'tmp', 'logs', 'hadoop', 'dist', 'run', 'bootstrap', 'bootstrap-node.sh', 'file', 'emr-logs', 'emr-output',
  'emr-steps.json', 'views.tsv', 'viewed_products.tsv', 'counters.tsv', 'timings.tsv', 'memory.tsv', 'mysqlimport.out',
]);

function fail(message: string): never {
  throw new Error(`job definition: ${message}`);
}

/** Throws unless the job is a graph the runners can run: ids and outputs unique words, every input and side file made by an earlier phase. */
export function checkJob(job: JobSpec): void {
  const before = new Map<string, PhaseSpec>();
  const outputs = new Set<string>();
  for (const p of job.phases) {
    if (!WORD.test(p.id)) fail(`phase id ${JSON.stringify(p.id)} is not one word`);
    if (before.has(p.id)) fail(`two phases are called ${p.id}`);
    if (!WORD.test(p.output) || outputs.has(p.output) || RESERVED.has(p.output)) {
      fail(`phase ${p.id}: output ${JSON.stringify(p.output)} is not a word of its own`);
    }
    if (p.inputs.length === 0) fail(`phase ${p.id} reads nothing`);
    for (const i of p.inputs) {
      if (i.kind === 'phase' && !before.has(i.id)) fail(`phase ${p.id} reads phase ${i.id}, which does not run before it`);
    }
    for (const f of p.sideFiles) {
      const from = before.get(f.from);
      if (from === undefined) fail(`phase ${p.id}: side file ${f.name} comes from phase ${f.from}, which does not run before it`);
      if (!WORD.test(f.name) || !PART.test(f.part)) fail(`phase ${p.id}: side file ${JSON.stringify(f.name)} of ${JSON.stringify(f.part)}`);
      // A part exists whatever --reducers says only when the phase's reducers are fixed.
      if (from.fixedReducers === undefined || Number(f.part.slice(5)) >= from.fixedReducers) {
        fail(`phase ${p.id}: side file ${f.name} needs phase ${f.from} to have a fixed number of reducers writing ${f.part}`);
      }
    }
    if (!(p.spaceFactor > 0)) fail(`phase ${p.id}: space factor ${p.spaceFactor}`);
    before.set(p.id, p);
    outputs.add(p.output);
  }
  const views = before.get(job.viewsPhase);
  if (views === undefined || !views.inputs.some((i) => i.kind === 'views')) fail(`the views phase ${job.viewsPhase} does not read the views`);
  if (!before.has(job.result.phase)) fail(`the result phase ${job.result.phase} is not a phase of the job`);
}

/** The local runner's lines of a phase: its task commands and shuffle. */
function localTaskRows(p: PhaseSpec, bundlePath: (bundle: string) => string): string[][] {
  const rows: string[][] = [
    ['mapper', ...commandWords(p, p.mapper, bundlePath)],
    ['reducer', ...commandWords(p, p.reducer, bundlePath)],
  ];
  if (p.combiner) rows.push(['combiner', ...commandWords(p, p.combiner, bundlePath)]);
  rows.push(['key-fields', String(p.keyFields)]);
  if (p.partitionFields > 0) rows.push(['partition-fields', String(p.partitionFields)]);
  if (p.fixedReducers !== undefined) rows.push(['reducers', String(p.fixedReducers)]);
  if (p.reducerMemoryOption !== undefined) rows.push(['reducer-memory', p.reducerMemoryOption]);
  if (p.rangesIfSorted) rows.push(['ranges-if-sorted']);
  if (p.mapCopies) rows.push(['map-copies']);
  return rows;
}

/**
 * The plan's rows, for every runner: a runner picks the finish of its own shuffle order (the
 * local runner's reducers read whole lines in order, Hadoop's by key), so the plan names no runner.
 * With bundlePath (where the bundles are: the local runner), each phase's task commands too.
 */
export function planRows(job: JobSpec, bundlePath?: (bundle: string) => string): string[][] {
  checkJob(job);
  const rows: string[][] = [['views-phase', job.viewsPhase], ['result', job.result.phase]];
  for (const order of SHUFFLE_ORDERS) rows.push(['finish', order, job.result.finish[order]]);
  for (const p of job.phases) {
    rows.push(['phase', p.id], ['output', p.output]);
    for (const i of p.inputs) rows.push(i.kind === 'views' ? ['input', 'views'] : ['input', 'phase', i.id]);
    for (const f of p.sideFiles) rows.push(['side-file', f.name, f.from, f.part]);
    rows.push(['space-factor', String(p.spaceFactor)]);
    if (bundlePath !== undefined) rows.push(...localTaskRows(p, bundlePath));
  }
  return rows;
}

/** The rows as text: words TAB-separated, a line each. Bash's `read -r -a` with IFS=TAB drops empty words, so none may be empty. */
export function renderPlan(rows: readonly string[][]): string {
  for (const row of rows) {
    for (const w of row) if (w === '' || /[\t\n\r]/.test(w)) throw new Error(`plan word ${JSON.stringify(w)} is empty or holds a TAB or newline`);
  }
  return rows.map((r) => `${r.join('\t')}\n`).join('');
}
