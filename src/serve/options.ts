/**
 * serve.js's options: where the lists come from (the result file, or the
 * job's MySQL table with the job's database options and environment
 * variables), the catalog, and where to listen.
 */
import { OptionSpecs, OptionValues, UsageError } from '../io/cli';

export const SERVE_OPTIONS = {
  result: { kind: 'string', help: 'lists from this result file (viewed_products.tsv), loaded into memory' },
  'db-defaults-file': { kind: 'string', help: 'or from MySQL: option file with the credentials ([client] user, password, host/port or socket) [VP_DB_DEFAULTS_FILE]' },
  database: { kind: 'string', help: 'the database [VP_DATABASE]' },
  table: { kind: 'string', help: 'the result table (default viewed_products) [VP_TABLE]' },
  catalog: { kind: 'string', help: 'names and images: product_id<TAB>name[<TAB>image_url] lines' },
  'catalog-table': { kind: 'string', help: 'or a MySQL table with columns product_id, name[, image_url] (with the database)' },
  host: { kind: 'string', default: '127.0.0.1', help: 'address to listen on' },
  port: { kind: 'int', min: 0, default: 8080, help: 'port; 0 = any free port' },
} satisfies OptionSpecs;

export type ServeOptionValues = OptionValues<typeof SERVE_OPTIONS>;

export type ListSource = { kind: 'file'; file: string } | { kind: 'mysql'; defaultsFile: string; database: string; table: string };

export interface ServeConfig {
  source: ListSource;
  catalogFile?: string;
  catalogTable?: string;
  host: string;
  port: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function databaseSource(o: ServeOptionValues, env: NodeJS.ProcessEnv): ListSource {
  const defaultsFile = o.dbDefaultsFile ?? env.VP_DB_DEFAULTS_FILE ?? '';
  const database = o.database ?? env.VP_DATABASE ?? '';
  const table = o.table ?? env.VP_TABLE ?? 'viewed_products';
  if (defaultsFile === '') throw new UsageError('the database needs --db-defaults-file (or VP_DB_DEFAULTS_FILE)');
  if (database === '') throw new UsageError('the database needs --database (or VP_DATABASE)');
  if (!/^[A-Za-z0-9_]{1,64}$/.test(database)) throw new UsageError(`--database: not a valid name (letters, digits and _ only, at most 64): ${database}`);
  if (!IDENTIFIER.test(table)) throw new UsageError(`--table: not a valid name (letter or _, then letters, digits, _): ${table}`);
  return { kind: 'mysql', defaultsFile, database, table };
}

/** Checks the options (UsageError on a bad one) and settles the list source. */
export function serveConfig(o: ServeOptionValues, env: NodeJS.ProcessEnv): ServeConfig {
  if (o.port > 65535) throw new UsageError(`--port must be from 0 to 65535, got ${o.port}`);
  if (o.host === '') throw new UsageError('--host needs an address');
  const dbGiven = o.dbDefaultsFile !== undefined || o.database !== undefined || o.table !== undefined;
  let source: ListSource;
  if (o.result !== undefined) {
    if (dbGiven) throw new UsageError('give --result FILE or the database options, not both');
    source = { kind: 'file', file: o.result };
  } else if (dbGiven || env.VP_DATABASE || env.VP_DB_DEFAULTS_FILE) {
    source = databaseSource(o, env);
  } else {
    throw new UsageError('give the lists: --result FILE, or --db-defaults-file FILE --database NAME');
  }
  if (o.catalog !== undefined && o.catalogTable !== undefined) throw new UsageError('give --catalog or --catalog-table, not both');
  if (o.catalogTable !== undefined) {
    if (source.kind !== 'mysql') throw new UsageError('--catalog-table reads the database: use it with the database options, not --result');
    if (!IDENTIFIER.test(o.catalogTable)) throw new UsageError(`--catalog-table: not a valid name: ${o.catalogTable}`);
  }
  return { source, catalogFile: o.catalog, catalogTable: o.catalogTable, host: o.host, port: o.port };
}
