/**
 * Serves the lists: a JSON API and an HTML gallery (src/serve/). Prints the
 * URL it listens on to stdout; logs go to stderr. SIGTERM/SIGINT stop it
 * gracefully (exit 0).
 */
import { runMain } from '../src/io/cli';
import { Catalog } from '../src/serve/catalog';
import { MysqlStore, readCatalogTable } from '../src/serve/mysql-store';
import { readOptionFile } from '../src/serve/option-file';
import { SERVE_OPTIONS, ServeConfig, serveConfig } from '../src/serve/options';
import { ReloadingFileStore } from '../src/serve/reloading-store';
import { Routes } from '../src/serve/routes';
import { createServer, listen, stop } from '../src/serve/server';
import { ListStore } from '../src/serve/store';

const log = (message: string): void => void process.stderr.write(`serve: ${message}\n`);

async function openStore(config: ServeConfig): Promise<{ store: ListStore; catalog: Catalog }> {
  const catalog = config.catalogFile === undefined ? new Catalog() : Catalog.readFile(config.catalogFile);
  const source = config.source;
  if (source.kind === 'file') return { store: await ReloadingFileStore.open(source.file, log), catalog };
  const client = readOptionFile(source.defaultsFile, log);
  const store = MysqlStore.open(client, source.database, source.table);
  try {
    await store.check();
  } catch (e) {
    await store.close();
    throw new Error(`cannot read ${source.database}.${source.table} with ${source.defaultsFile}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (config.catalogTable !== undefined) {
    const table = await readCatalogTable(client, source.database, config.catalogTable);
    for (const row of table.rows) catalog.add(row.id, row.name, row.image, row.category, row.available);
    catalog.facts = table.facts;
  }
  log(`lists from MySQL ${source.database}.${source.table}`);
  return { store, catalog };
}

async function main(config: ServeConfig): Promise<void> {
  const { store, catalog } = await openStore(config);
  if (catalog.size > 0) log(`catalog: ${catalog.size} products${catalog.facts ? ', with facts: filters and fallbacks on' : ''}`);
  const server = createServer(new Routes(store, catalog));
  const url = await listen(server, config.host, config.port);
  process.stdout.write(`${url}\n`);
  log(`listening on ${url}`);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    stop(server, 10_000)
      .then(() => store.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // SIGHUP: read the result file again, serving the old lists until the new ones are in.
  if (store instanceof ReloadingFileStore) {
    process.on('SIGHUP', () => {
      log('SIGHUP: reloading the result file');
      void store.reload();
    });
  }
}

runMain(
  'serve',
  [
    'Serves "people who viewed this product also viewed" lists: GET /api/related/<id>?n=N (JSON, n 1..100,',
    'default 10), /products/<id> (HTML), / (search and the most co-viewed products), /healthz.',
    'Ids in URLs are their bytes percent-encoded. Prints the URL it listens on to stdout; logs on stderr.',
    'See docs/serving.md.',
    '',
    'SIGHUP reloads a --result file (the old lists answer until the new ones are loaded).',
    'Exit codes: 0 stopped by SIGTERM/SIGINT, 1 cannot load the lists or listen, 2 bad option.',
  ].join('\n'),
  SERVE_OPTIONS,
  (opts) => {
    const config = serveConfig(opts, process.env);
    main(config).catch((e: unknown) => {
      log(e instanceof Error ? e.message : String(e));
      process.exit(1);
    });
  },
  ['--result FILE [--catalog FILE] [--host ADDR] [--port N]', '--db-defaults-file FILE --database NAME [--table NAME] [--catalog FILE | --catalog-table NAME] [...]'],
);
