import { COUNTER_GROUP } from '../../src/io/counters';

/** Parses reporter counter lines (and ignores every other line), summing per counter. */
export function sumReporterCounters(text: string, group = COUNTER_GROUP): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^reporter:counter:([^,]*),([^,]*),(-?\d+)\r?$/.exec(line);
    if (!m || m[1] !== group) continue;
    sums.set(m[2], (sums.get(m[2]) ?? 0) + Number(m[3]));
  }
  return sums;
}
