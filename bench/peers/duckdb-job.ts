// The whole job as one SQL query in DuckDB (benchmark peer, not shipped).
// Usage: node duckdb-job.js VIEWS.tsv OUT.tsv [--top N] [--temp-dir DIR]
// Reads path_id<TAB>product_id lines, writes source<TAB>target<TAB>count for every
// ordered pair of distinct products of a path, count = distinct paths holding
// both: the same lines as run-job.sh's viewed_products.tsv (same rules: header,
// empty and NULL ids skipped, a product counts once per path, paths with more
// than 1000 distinct products skipped), in no particular order: DuckDB's best
// query has no ORDER BY and no insertion order to keep (at store scale the
// ORDER BY alone more than doubled its time), so the bench sorts its file,
// untimed, before comparing. DuckDB uses all cores (its default). --top N
// keeps each source's N best targets (count desc, then target bytes asc:
// run-job.sh --top N's lists). --temp-dir DIR: where DuckDB spills
// (SET temp_directory) when the join does not fit in memory.
import { DuckDBInstance } from '@duckdb/node-api';

const MAX_PATH_PRODUCTS = 1000;

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function viewedProductsSql(input: string, output: string, top = 0): string {
  // QUALIFY keeps the first `top` of each source's list in the job's ranking
  const qualify = top > 0 ? `QUALIFY row_number() OVER (PARTITION BY source ORDER BY count DESC, target) <= ${top}` : '';
  return `
COPY (
  WITH raw AS (
    SELECT path_id, product_id
    FROM read_csv(${quote(input)}, delim = '\t', header = false, quote = '', escape = '',
                  auto_detect = false, nullstr = '\x01',
                  columns = {'path_id': 'VARCHAR', 'product_id': 'VARCHAR'})
  ),
  views AS (
    SELECT DISTINCT path_id, product_id FROM raw
    WHERE path_id <> '' AND product_id <> '' AND path_id <> 'NULL' AND product_id <> 'NULL'
      AND NOT (path_id = 'path_id' AND product_id = 'product_id')
  ),
  kept AS (
    SELECT path_id FROM views GROUP BY path_id HAVING count(*) <= ${MAX_PATH_PRODUCTS}
  ),
  v AS (
    SELECT path_id, product_id FROM views SEMI JOIN kept USING (path_id)
  )
  SELECT a.product_id AS source, b.product_id AS target, count(*) AS count
  FROM v a JOIN v b ON a.path_id = b.path_id AND a.product_id <> b.product_id
  GROUP BY a.product_id, b.product_id
  ${qualify}
) TO ${quote(output)} (FORMAT csv, DELIMITER '\t', HEADER false, QUOTE '', ESCAPE '')`;
}

async function main(): Promise<void> {
  const [input, output, ...rest] = process.argv.slice(2);
  let top = 0;
  let tempDir: string | undefined;
  let bad = false;
  for (let a = rest.shift(); a !== undefined; a = rest.shift()) {
    const v = rest.shift();
    if (a === '--top' && v !== undefined && /^[0-9]+$/.test(v)) top = Number(v);
    else if (a === '--temp-dir' && v !== undefined) tempDir = v;
    else bad = true;
  }
  if (bad || input === undefined || output === undefined) {
    process.stderr.write('usage: duckdb-job.js VIEWS.tsv OUT.tsv [--top N] [--temp-dir DIR]\n');
    process.exit(2);
  }
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  if (tempDir !== undefined) await connection.run(`SET temp_directory = ${quote(tempDir)}`);
  await connection.run('SET preserve_insertion_order = false');
  await connection.run(viewedProductsSql(input, output, top));
  connection.closeSync();
}

main().catch((err: unknown) => {
  process.stderr.write(`duckdb-job: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
