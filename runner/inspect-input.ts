/**
 * Says what an input file looks like when it holds (nearly) no valid views:
 * run-job.sh calls it only on that failure (exit 60), for its one error line.
 */
import * as fs from 'node:fs';
import { describeShape, inputShape } from '../src/core/input-shape';
import { runMain } from '../src/io/cli';

const SAMPLE_BYTES = 64 << 10;

runMain(
  'inspect-input',
  'Reads the first 64 KiB of the input and prints one line: whether its lines hold a TAB, which\n' +
    'separator they use otherwise, and a command that converts them to views (path_id<TAB>product_id).',
  { subject: { kind: 'string', default: 'the lines', help: 'how the sentence names the lines' } },
  (opts) => {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    let n = 0;
    for (let got = -1; got !== 0 && n < SAMPLE_BYTES; n += got) got = fs.readSync(0, buf, n, SAMPLE_BYTES - n, null);
    process.stdout.write(`${describeShape(inputShape(buf.subarray(0, n)), opts.subject)}\n`);
  },
);
