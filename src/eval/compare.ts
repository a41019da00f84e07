/**
 * From each score's metrics to the table's rows and the verdict: the paired
 * bootstrap of every score against count over the same test events.
 */
import { BootstrapOptions, DEFAULT_BOOTSTRAP, pairedBootstrap } from './bootstrap';
import { Metrics } from './metrics';
import { ReportRow } from './report';
import { isScoreName } from '../core/rank/scores';
import { REFERENCE, verdict, Verdict } from './verdict';

export function compareWithCount(results: readonly Metrics[], k: number, o: BootstrapOptions = DEFAULT_BOOTSTRAP): { rows: ReportRow[]; verdict: Verdict | null } {
  const count = results.find((m) => m.name === REFERENCE);
  const diffs = count === undefined ? null : pairedBootstrap(count.ranks, results.map((m) => m.ranks), k, o);
  const rows = results.map((m, i) => ({ name: m.name, hr: m.hr, mrr: m.mrr, coverage: m.coverage, popularity: m.popularity, vsCount: diffs?.[i] ?? null }));
  const contenders = rows.map((r) => ({ ...r, jobScore: isScoreName(r.name) }));
  return { rows, verdict: verdict(contenders, k) };
}
