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
import { mostViewed, TopRelated } from '../src/demo/related';

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
  const counts = new Map<string, number>();
  await eachLine(views, (line) => {
    const fields = line.replace(/\r$/, '').split('\t');
    if (fields.length === 2 && fields[0] !== 'path_id') counts.set(fields[1], (counts.get(fields[1]) ?? 0) + 1);
  });
  const chosen = mostViewed(counts, products);
  const related = new TopRelated(chosen, top);
  await eachLine(result, (line) => related.offer(line));
  for (const p of chosen) {
    const list = related.top(p).map((r) => `${r.target} (${r.count})`);
    process.stdout.write(`People who viewed ${p} (${counts.get(p)} views) also viewed: ${list.join(', ') || '(nothing yet)'}\n`);
  }
}

runMain(
  'related',
  'Prints "people who viewed X also viewed" for the most viewed products of --views, from --result.',
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
