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

/** Section store (issue #13): the store-scale goals. */
export const GOAL_STORE = {
  fullVsDuckDB: 1, // full table at least as fast as DuckDB's
  topVsDuckDB: 2, // --top 100 at least 2x faster than DuckDB's top 100
  rssMB: 2048, // largest process under 2 GiB
  quarterToFull: 4.4, // 4x the views in at most 4.4x the time
};
