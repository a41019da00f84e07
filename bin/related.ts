/**
 * The demo's last step: prints "people who viewed X also viewed" for the most
 * viewed products. Line plumbing is split2 + through2: this tool reads each
 * file once, outside the job's hot path, where their per-line cost does not
 * matter (the executables use the byte-level reader instead).
 */
import * as fs from 'node:fs';
import split2 from 'split2';
import { objectTransform } from 'through2';
import { runMain, UsageError } from '../src/io/cli';
import { formatRelated, mostViewed, SessionCounts, TopRelated } from '../src/demo/related';

function eachLine(file: string, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.createReadStream(file)
      .on('error', reject)
      .pipe(split2())
      .pipe(
        objectTransform((line: string, _enc: BufferEncoding, next: (err?: Error | null) => void) => {
          if (line !== '') onLine(line);
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
  await eachLine(views, (line) => sessions.offer(line));
  const counts = sessions.counts();
  const chosen = mostViewed(counts, products);
  const related = new TopRelated(chosen, top);
  await eachLine(result, (line) => related.offer(line));
  process.stdout.write(chosen.map((p) => formatRelated(p, counts.get(p) ?? 0, related.top(p))).join('\n'));
}

runMain(
  'related',
  'Prints "people who viewed X also viewed" for the products of --views viewed in the most sessions, from --result.',
  {
    views: { kind: 'string', help: 'views file (path_id<TAB>product_id)' },
    result: { kind: 'string', help: 'job result (viewed_products.tsv)' },
    products: { kind: 'int', min: 1, default: 3, help: 'how many products' },
    top: { kind: 'int', min: 1, default: 5, help: 'related products per product' },
  },
  (opts) => {
    if (opts.views === undefined || opts.result === undefined) throw new UsageError('--views and --result are required');
    main(opts.views, opts.result, opts.products, opts.top).catch((e: unknown) => {
      process.stderr.write(`related: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    });
  },
);
