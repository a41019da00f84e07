/**
 * The local runner's range split of a phase whose inputs are each in line
 * order: samples the files, picks split keys (src/core/ranges.ts) and prints,
 * per file, where each of the --parts ranges starts and ends. Not shipped to Hadoop.
 */
import * as fs from 'node:fs';
import { cutOffsets, ReadAt, sampleFile, splitKeys } from '../src/core/ranges';
import { runMain, UsageError } from '../src/io/cli';

/** A file's size and a positioned reader over it. */
function openFile(file: string): { size: number; read: ReadAt } {
  const fd = fs.openSync(file, 'r');
  const size = fs.fstatSync(fd).size;
  // One buffer for every read: a read's bytes are used before the next (ReadAt's contract).
  let buf = Buffer.alloc(1 << 16);
  const read: ReadAt = (position, length) => {
    if (buf.length < length) buf = Buffer.alloc(length);
    let n = 0;
    for (let got = -1; got !== 0 && n < length; n += got) got = fs.readSync(fd, buf, n, length - n, position + n);
    return buf.subarray(0, n);
  };
  return { size, read };
}

runMain(
  'ranges',
  `Reads file names (one per line) on stdin, files whose lines are in byte order, and prints a
line per file: --parts + 1 TAB-separated byte offsets, range r being [offset r, offset r + 1).
Every source's lines fall in one range, the same range in every file, ranges in order.`,
  {
    parts: { kind: 'int', min: 1, default: 2, help: 'number of ranges' },
    samples: { kind: 'int', min: 1, default: 1024, help: 'lines sampled per file' },
  },
  (opts) => {
    const names = fs.readFileSync(0, 'utf8').split('\n').filter((l) => l !== '');
    if (names.length === 0) throw new UsageError('no file names on stdin');
    const files = names.map(openFile);
    const splits = splitKeys(files.flatMap((f) => sampleFile(f.read, f.size, opts.samples)), opts.parts);
    // Fewer keys than parts - 1 (few distinct sources): the last ranges are empty.
    while (splits.length < opts.parts - 1) splits.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    process.stdout.write(files.map((f) => `${cutOffsets(f.read, f.size, splits).join('\t')}\n`).join(''));
  },
  ['--parts N < file-names'],
);
