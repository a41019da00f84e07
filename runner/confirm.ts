/**
 * Asks a yes/no question on the terminal (readline-sync, reading /dev/tty, so
 * it works while stdin/stdout/stderr are redirected). Exit 0 = yes; 1 = no, or
 * no terminal to ask on; 2 = bad options. run-job.sh uses it when the shrink
 * guard would refuse an import and the run is interactive.
 */
import * as fs from 'node:fs';
import readlineSync from 'readline-sync';
import { runMain, UsageError } from '../src/io/cli';

/** True when this process has a controlling terminal to ask on. */
function haveTerminal(): boolean {
  try {
    fs.closeSync(fs.openSync('/dev/tty', 'r+'));
    return true;
  } catch {
    return false;
  }
}

runMain(
  'confirm',
  'Asks QUESTION on the terminal; exits 0 on "y", 1 on "n" or when there is no terminal.',
  { question: { kind: 'string', help: 'the question to ask (required)' } },
  (opts) => {
    const question = opts.question;
    if (question === undefined || question === '') throw new UsageError('--question is required');
    if (!haveTerminal()) {
      process.stderr.write('confirm: no terminal to ask on; answering no\n');
      process.exit(1);
    }
    const yes = readlineSync.keyInYNStrict(question);
    process.exit(yes ? 0 : 1);
  },
  ['--question TEXT'],
);
