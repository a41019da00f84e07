/**
 * Realistic sample views for the demo and tests: popular products (Zipf-like
 * popularity), short sessions (geometric lengths), related products viewed
 * together (each session browses around one category), and repeated views.
 * Deterministic for a given --seed. Writes what `mysql --batch` prints.
 */
import * as fs from 'node:fs';
import { runMain } from '../src/io/cli';
import { FdSink } from '../src/io/sink';
import { catalogLines, generateViews } from '../src/demo/generator';

runMain(
  'generate-views',
  'Writes path_id<TAB>product_id sample views (with a header line, as mysql --batch prints) to stdout.',
  {
    paths: { kind: 'int', min: 1, default: 20000, help: 'number of sessions' },
    products: { kind: 'int', min: 2, default: 500, help: 'catalog size' },
    seed: { kind: 'int', min: 0, default: 42, help: 'random seed' },
    'no-header': { kind: 'flag', help: 'omit the header line' },
    catalog: { kind: 'string', help: 'also write the catalog here (a header, then product_id<TAB>name<TAB>category<TAB>available, with 5 new products; for serve.js --catalog)' },
  },
  (opts) => {
    if (opts.catalog !== undefined) fs.writeFileSync(opts.catalog, catalogLines(opts.products).join(''));
    const out = new FdSink(1);
    generateViews(
      { paths: opts.paths, products: opts.products, seed: opts.seed, header: !opts.noHeader },
      (line) => {
        const buf = out.reserve(line.length);
        out.pos += buf.write(line, out.pos, 'latin1');
        out.maybeFlush();
      },
    );
    out.flush();
  },
  ['[options] > views.tsv'],
);
