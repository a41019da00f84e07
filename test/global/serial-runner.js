/**
 * jest runner of the "serial" project (jest.config.js): jest's own runner,
 * marked serial, so those suites run one at a time in the main process, after
 * the parallel ones (jest runs one runner's suites, then the next's), with
 * nothing else running beside them: they assert on signals, timing of kills,
 * concurrent runs, peak memory and full disks.
 */
const path = require('node:path');

// jest's runner, as jest itself resolves it (jest-runner is jest's dependency, not ours).
const core = path.dirname(require.resolve('@jest/core/package.json', { paths: [path.dirname(require.resolve('jest/package.json'))] }));
const TestRunner = require(require.resolve('jest-runner', { paths: [core] })).default;

class SerialRunner extends TestRunner {
  constructor(...args) {
    super(...args);
    this.isSerial = true;
  }
}

module.exports = SerialRunner;
