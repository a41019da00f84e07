/**
 * An independent reference for the evaluator (src/eval/), in DuckDB SQL: the
 * same protocol written as queries over the whole views file, sharing no code
 * with the evaluator or the job (the scores as written in issue #12, Mahout's
 * LLR, and proximity as written in issue #24). Inputs must be valid views (no
 * bad lines), with times a double holds exactly.
 */
import { DuckDBInstance } from '@duckdb/node-api';

export interface ReferenceMetrics {
  hr: number;
  mrr: number;
  coverage: number;
  popularity: number;
  events: number;
}

export interface ReferenceOptions {
  share: number;
  k: number;
  cap: number;
  /** Also proximity (its pair positions cost most of the time on MovieLens). */
  proximity?: boolean;
}

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

const SETUP = (file: string, o: ReferenceOptions): string[] => [
  // One thread: row_number() OVER () is then the file's line order (ties in time keep it).
  'SET threads = 1',
  `CREATE TABLE v AS SELECT row_number() OVER () AS seq, path, product, t
     FROM read_csv(${quote(file)}, delim = '\t', header = false, quote = '', escape = '', auto_detect = false,
                   nullstr = '\x01', columns = {'path': 'VARCHAR', 'product': 'VARCHAR', 't': 'DOUBLE'})`,
  `CREATE TABLE firsts AS SELECT path, row_number() OVER (ORDER BY min(t), path) AS rn, count(*) OVER () AS p
     FROM v GROUP BY path`,
  `CREATE TABLE testp AS SELECT path FROM firsts WHERE rn > p - floor(p * ${o.share} + 0.5)`,
  `CREATE TABLE train0 AS SELECT DISTINCT path, product FROM v WHERE path NOT IN (SELECT path FROM testp)`,
  `CREATE TABLE train AS SELECT * FROM train0
     WHERE ${o.cap} = 0 OR path IN (SELECT path FROM train0 GROUP BY path HAVING count(*) <= ${o.cap})`,
  `CREATE TABLE pop AS SELECT product, count(*) AS n FROM train GROUP BY product`,
  `CREATE TABLE trainpaths AS SELECT count(DISTINCT path) AS n FROM train`,
  `CREATE TABLE co AS SELECT a.product AS s, b.product AS t, count(*) AS c
     FROM train a JOIN train b ON a.path = b.path AND a.product <> b.product GROUP BY 1, 2`,
  // Proximity (issue #24): each kept training path's views by time, ties by product bytes, consecutive
  // repeats removed, positions 0, 1, ...; d = the closest positions of two products; per path 1 / d, as
  // the job's documented fixed point round(10^10 / d) (halves up), so that ties rank as the job's do.
  `CREATE TABLE tseq0 AS SELECT path, product, row_number() OVER (PARTITION BY path ORDER BY t, product) AS i
     FROM v WHERE ${o.proximity === true} AND path IN (SELECT path FROM train)`,
  `CREATE TABLE tseq AS SELECT path, product, row_number() OVER (PARTITION BY path ORDER BY i) - 1 AS pos FROM
     (SELECT *, lag(product) OVER (PARTITION BY path ORDER BY i) AS prev FROM tseq0) WHERE prev IS NULL OR prev <> product`,
  `CREATE TABLE tv AS SELECT path, product, row_number() OVER (PARTITION BY path ORDER BY t, seq) AS i FROM v
     WHERE path IN (SELECT path FROM testp)
       AND (${o.cap} = 0 OR path IN (SELECT path FROM v GROUP BY path HAVING count(DISTINCT product) <= ${o.cap}))`,
  `CREATE TABLE runs AS SELECT path, product, i FROM
     (SELECT *, lag(product) OVER (PARTITION BY path ORDER BY i) AS prev FROM tv) WHERE prev IS NULL OR prev <> product`,
  `CREATE TABLE ev AS SELECT row_number() OVER () AS id, q, target FROM
     (SELECT product AS target, lag(product) OVER (PARTITION BY path ORDER BY i) AS q FROM runs) WHERE q IS NOT NULL`,
];

/** Each job score as SQL over c (the pair's count), na, nb (the supports) and total (training paths). */
const SCORE_SQL = {
  count: 'c',
  cosine: 'c / sqrt(na * nb)',
  jaccard: 'c / (na + nb - c)',
  llr: 'llr(c, na - c, nb - c, total - na - nb + c)',
  proximity: 'w',
} as const;
export type JobScore = keyof typeof SCORE_SQL;

/** Mahout's LogLikelihood.logLikelihoodRatio as DuckDB macros (0 where rounding makes it negative). */
const LLR_MACROS = [
  'CREATE MACRO xlx(x) AS CASE WHEN x = 0 THEN 0 ELSE x::DOUBLE * ln(x::DOUBLE) END',
  'CREATE MACRO h2(a, b) AS xlx(a + b) - xlx(a) - xlx(b)',
  'CREATE MACRO h4(a, b, c, d) AS xlx(a + b + c + d) - xlx(a) - xlx(b) - xlx(c) - xlx(d)',
  `CREATE MACRO llr(k11, k12, k21, k22) AS CASE
     WHEN h2(k11, k12) + h2(k21, k22) + h2(k11, k21) + h2(k12, k22) > h4(k11, k12, k21, k22) THEN 0
     ELSE 2 * (h4(k11, k12, k21, k22) - h2(k11, k12) - h2(k21, k22) - h2(k11, k21) - h2(k12, k22)) END`,
  `CREATE TABLE prox AS SELECT s, t, sum((20000000000 // d + 1) // 2)::HUGEINT AS w FROM
     (SELECT a.path, a.product AS s, b.product AS t, min(abs(a.pos - b.pos)) AS d
        FROM tseq a JOIN tseq b ON a.path = b.path AND a.product <> b.product
       WHERE a.product IN (SELECT q FROM ev) GROUP BY 1, 2, 3) GROUP BY 1, 2`,
  `CREATE TABLE scored AS SELECT co.s, co.t, co.c::DOUBLE AS c, a.n::DOUBLE AS na, b.n::DOUBLE AS nb,
     (SELECT n FROM trainpaths)::DOUBLE AS total, prox.w AS w
     FROM co JOIN pop a ON a.product = co.s JOIN pop b ON b.product = co.t LEFT JOIN prox ON prox.s = co.s AND prox.t = co.t
     WHERE co.s IN (SELECT q FROM ev)`,
];

/** SQL of a table lists(q, t, r): each event query's top-k list by a job score, r = rank. */
const JOB_LISTS = (score: JobScore, k: number): string =>
  `CREATE TABLE lists AS SELECT * FROM
     (SELECT s AS q, t, row_number() OVER (PARTITION BY s ORDER BY ${SCORE_SQL[score]} DESC, c DESC, t) AS r FROM scored)
   WHERE r <= ${k}`;

/** The popularity baseline's lists for the queried products: most paths first, ties by id, the query left out. */
const POPULARITY_LISTS = (k: number): string =>
  `CREATE TABLE lists AS SELECT * FROM
     (SELECT q.q, p.product AS t, row_number() OVER (PARTITION BY q.q ORDER BY p.n DESC, p.product) AS r
        FROM (SELECT DISTINCT q FROM ev) q JOIN pop p ON p.product <> q.q) WHERE r <= ${k}`;

const METRICS = `
  SELECT (SELECT avg(CASE WHEN l.r IS NULL THEN 0 ELSE 1 END) FROM ev LEFT JOIN lists l ON l.q = ev.q AND l.t = ev.target) AS hr,
         (SELECT avg(CASE WHEN l.r IS NULL THEN 0 ELSE 1.0 / l.r END) FROM ev LEFT JOIN lists l ON l.q = ev.q AND l.t = ev.target) AS mrr,
         (SELECT avg(m) FROM (SELECT ev.id, avg(p.n) / (SELECT n FROM trainpaths) AS m
                                FROM ev JOIN lists l ON l.q = ev.q JOIN pop p ON p.product = l.t GROUP BY ev.id)) AS popularity,
         (SELECT count(*) FROM ev) AS events`;

type Connection = Awaited<ReturnType<DuckDBInstance['connect']>>;

async function metricsOf(con: Connection, lists: string, coverage: number): Promise<ReferenceMetrics> {
  await con.run('DROP TABLE IF EXISTS lists');
  await con.run(lists);
  const [row] = (await con.runAndReadAll(METRICS)).getRowsJS();
  return { hr: Number(row[0]), mrr: Number(row[1]), popularity: Number(row[2] ?? 0), events: Number(row[3]), coverage };
}

async function one(con: Connection, sql: string): Promise<number> {
  return Number((await con.runAndReadAll(sql)).getRowsJS()[0][0]);
}

/** The reference's metrics of the job's scores and the popularity baseline. */
export async function referenceEvaluation(
  file: string,
  o: ReferenceOptions,
): Promise<Record<Exclude<JobScore, 'proximity'> | 'popularity', ReferenceMetrics> & { proximity?: ReferenceMetrics }> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    for (const sql of [...SETUP(file, o), ...LLR_MACROS]) await con.run(sql);
    const products = await one(con, 'SELECT count(*) FROM pop');
    const coverage = (await one(con, 'SELECT count(DISTINCT s) FROM co')) / products;
    return {
      count: await metricsOf(con, JOB_LISTS('count', o.k), coverage),
      cosine: await metricsOf(con, JOB_LISTS('cosine', o.k), coverage),
      jaccard: await metricsOf(con, JOB_LISTS('jaccard', o.k), coverage),
      llr: await metricsOf(con, JOB_LISTS('llr', o.k), coverage),
      ...(o.proximity === true ? { proximity: await metricsOf(con, JOB_LISTS('proximity', o.k), coverage) } : {}),
      popularity: await metricsOf(con, POPULARITY_LISTS(o.k), products > 1 ? 1 : 0),
    };
  } finally {
    con.closeSync();
  }
}
