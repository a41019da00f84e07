/**
 * The demo's last step: prints "people who viewed X also viewed" for the most
 * viewed products; with --product, one product's list from a result file
 * (src/core/result-list.ts). The demo's line plumbing is split2 + through2: this tool reads each
 * file once, outside the job's hot path, where their per-line cost does not
 * matter (the executables use the byte-level reader instead).
 */
import * as fs from 'node:fs';
import split2 from 'split2';
import { objectTransform } from 'through2';
import { runMain, UsageError } from '../src/io/cli';
import { LineSplitter } from '../src/io/lines';
import { writeFully } from '../src/io/fd';
import { EXIT_NOT_FOUND, formatRows, ProductListScanner } from '../src/core/result-list';
import { ResultRowError } from '../src/core/rank/result-row';
import { formatRelated, mostViewed, SessionCounts, TopRelated } from '../src/demo/related';

function eachLine(file: string, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.createReadStream(file)
      .on('error', reject)
      .pipe(split2())
      .pipe(
        objectTransform((line: string, _enc: BufferEncoding, next: (err?: Error | null) => void) => {
          try {
            onLine(line);
          } catch (e) {
            next(e instanceof ResultRowError ? new Error(`${file} ${e.message}`) : e instanceof Error ? e : new Error(String(e)));
            return;
          }
          next();
        }),
      )
      .on('error', reject)
      .on('finish', resolve)
      .resume();
  });
}

async function main(views: string, result: string, products: number, top: number): Promise<void> {
  const sessions = new SessionCounts();
  await eachLine(views, (line) => {
    if (line !== '') sessions.offer(line);
  });
  const counts = sessions.counts();
  const chosen = mostViewed(counts, products);
  const related = new TopRelated(chosen, top);
  await eachLine(result, (line) => related.offer(line));
  process.stdout.write(chosen.map((p) => formatRelated(p, counts.get(p) ?? 0, related.top(p))).join('\n'));
}

/** Prints one product's list, reading the file only up to the end of that product's rows. */
function printProductList(file: string, product: string, top: number): void {
  const scanner = new ProductListScanner(Buffer.from(product), top);
  const lines = new LineSplitter(scanner.line, scanner.overlong);
  const fd = fs.openSync(file, 'r');
  const chunk = Buffer.allocUnsafe(1 << 16);
  try {
    for (let n = fs.readSync(fd, chunk); n > 0 && !scanner.done; n = fs.readSync(fd, chunk)) lines.push(chunk.subarray(0, n));
    if (!scanner.done) lines.end();
  } catch (e) {
    if (e instanceof ResultRowError) throw new Error(`${file} ${e.message}`);
    throw new Error(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    fs.closeSync(fd);
  }
  const rows = scanner.rows();
  if (rows === null) {
    process.stderr.write(`related: product "${product}" is not in ${file}\n`);
    process.exit(EXIT_NOT_FOUND);
  }
  const out = formatRows(rows);
  writeFully(1, out, out.length);
}

runMain(
  'related',
  [
    'With --product: prints that product\'s list from --result, one target<TAB>count[<TAB>score] line per',
    'related product, best first (score descending when the file has one, then count descending, then',
    'target id bytes ascending).',
    'Without: prints "people who viewed X also viewed" for the products of --views viewed in the most',
    'sessions, from --result.',
    '',
    'Exit codes: 0 ok, 1 unreadable or malformed file, 2 bad option, 3 the product is not in the result file.',
  ].join('\n'),
  {
    product: { kind: 'string', help: 'the product whose list to print (its id as UTF-8 text; ops/top-products.sh takes any bytes)' },
    result: { kind: 'string', help: 'job result (viewed_products.tsv)' },
    views: { kind: 'string', help: 'views file (path_id<TAB>product_id)' },
    products: { kind: 'int', min: 1, help: 'how many of the most viewed products (default 3)' },
    top: { kind: 'int', min: 0, help: 'related products per product, 0 = all (default: 10 with --product, else 5)' },
  },
  (opts) => {
    if (opts.product !== undefined) {
      if (opts.result === undefined) throw new UsageError('--product needs --result FILE');
      if (opts.views !== undefined || opts.products !== undefined) throw new UsageError('--product takes no --views or --products');
      if (opts.product === '') throw new UsageError('--product needs a non-empty id');
      printProductList(opts.result, opts.product, opts.top ?? 10);
      return;
    }
    if (opts.views === undefined || opts.result === undefined) throw new UsageError('give --result FILE --product ID, or --views FILE --result FILE');
    main(opts.views, opts.result, opts.products ?? 3, opts.top ?? 5).catch((e: unknown) => {
      process.stderr.write(`related: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    });
  },
  ['--result FILE --product ID [--top N]', '--views FILE --result FILE [--products N] [--top N]'],
);
