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

/** Section store (issues #13, #26): the store-scale goals. */
export const GOAL_STORE = {
  fullVsC: 1.5, // full table at most 1.5x the C floor's time
  fullVsDuckDB: 2, // full table at least 2x faster than DuckDB's best
  topVsFull: 1, // --top 100 at most the job's own full-table time
  topVsDuckDB: 3, // --top 100 at least 3x faster than DuckDB's top 100
  rssMB: 1024, // largest process under the default --memory (1G)
  quarterToFull: 4.4, // 4x the views in at most 4.4x the time
};
