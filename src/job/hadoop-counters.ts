/**
 * Reads the job counters out of a Hadoop client's log: the block the job
 * client prints when the job ends ("mapreduce.Job: Counters: N", then one
 * TAB-indented line per group and two TABs per counter). Blocks a task prints
 * for itself are skipped, so each counter is counted once. Pure.
 */
import { COUNTER_GROUP } from '../io/counters';

export interface JobCounters {
  /** Job-level counter blocks found (0: the job has not printed its counters). */
  blocks: number;
  /** [name, value] of the group's counters, in log order. */
  counters: Array<[string, string]>;
}

// The job client's logger: "mapreduce.Job: ", or with the thread as EMR logs it, "mapreduce.Job (main): ".
const JOB_BLOCK = /mapreduce\.Job(?: \([^)]*\))?: Counters: [0-9]+\s*$/;
const COUNTER_LINE = /^\t\t([^\t=]+)=([0-9]+)\s*$/;

export function jobCounters(log: string, group: string = COUNTER_GROUP): JobCounters {
  const out: JobCounters = { blocks: 0, counters: [] };
  let inBlock = false;
  let current = '';
  for (const line of log.split('\n')) {
    if (JOB_BLOCK.test(line)) {
      inBlock = true;
      out.blocks++;
      current = '';
    } else if (inBlock && line.startsWith('\t\t')) {
      const m = COUNTER_LINE.exec(line);
      if (m !== null && current === group) out.counters.push([m[1], m[2]]);
    } else if (inBlock && line.startsWith('\t')) {
      current = line.slice(1).trimEnd();
    } else {
      inBlock = false;
    }
  }
  return out;
}
