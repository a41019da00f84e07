/**
 * With VP_TEST_CPU=FILE, appends each test file's CPU seconds (the worker's and
 * its waited-for child processes', from /proc/self/stat) and wall seconds to
 * FILE: where the time of `npm test` goes (docs/testing.md). Servers shared by
 * the run (MariaDB, moto, the test cluster) are not counted: nobody waits on them.
 */
const fs = require('node:fs');

const out = process.env.VP_TEST_CPU;
if (out) {
  const ticks = () => {
    // Fields after the command's closing parenthesis: utime, stime, cutime, cstime are 14-17 of stat(5).
    const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(f[i]), 0);
  };
  let start = 0;
  let t0 = 0;
  beforeAll(() => {
    start = ticks();
    t0 = Date.now();
  });
  afterAll(() => {
    const cpu = (ticks() - start) / 100;
    const file = expect.getState().testPath ?? '?';
    fs.appendFileSync(out, `${cpu.toFixed(1)}\t${((Date.now() - t0) / 1000).toFixed(1)}\t${file.replace(/.*\/test\//, '')}\n`);
  });
}
