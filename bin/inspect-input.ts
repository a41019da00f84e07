/**
 * Says what an input file looks like when it holds (nearly) no valid views:
 * run-job.sh calls it only on that failure (exit 60), for its one error line.
 */
import * as fs from 'node:fs';
import { describeShape, inputShape } from '../src/core/input-shape';
import { runMain, UsageError } from '../src/io/cli';

const SAMPLE_BYTES = 64 << 10;

runMain(
  'inspect-input',
  'Prints one line on stdout: whether the lines of --file hold a TAB, which separator they use\n' +
    'otherwise, and a command that converts them to views (path_id<TAB>product_id).',
  {
    file: { kind: 'string', help: 'the input file (required)' },
    subject: { kind: 'string', help: 'how the sentence names its lines (default: the lines of FILE)' },
  },
  (opts) => {
    const file = opts.file;
    if (file === undefined) throw new UsageError('--file is required');
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(SAMPLE_BYTES);
    let n = 0;
    for (let got = -1; got !== 0 && n < SAMPLE_BYTES; n += got) got = fs.readSync(fd, buf, n, SAMPLE_BYTES - n, null);
    fs.closeSync(fd);
    process.stdout.write(`${describeShape(inputShape(buf.subarray(0, n)), opts.subject ?? `the lines of ${file}`)}\n`);
  },
);
