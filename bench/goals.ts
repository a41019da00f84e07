// The goals the results are held against (the "Goals" table of the results).

export const GOAL_REDUCER_RATIO = 1.5;
export const GOAL_RSS_MB = 200;
/** Whole job: at least this many times faster than the peer. */
export const GOAL_JOB_RATIOS: Record<string, number> = { DuckDB: 3, MariaDB: 20, mrjob: 5 };

export interface Goal {
  goal: string;
  measured: string;
  met: boolean;
}
