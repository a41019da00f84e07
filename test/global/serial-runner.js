/**
 * jest runner of the "serial" project (jest.config.js): jest's own runner,
 * marked serial, so those suites run one at a time in the main process, after
 * the parallel ones (jest runs one runner's suites, then the next's), with
 * nothing else running beside them: they assert on signals, timing of kills,
 * concurrent runs, peak memory and full disks.
 */
const jestInternal = require('./jest-internal');

const TestRunner = jestInternal('@jest/core', 'jest-runner').default;

class SerialRunner extends TestRunner {
  constructor(...args) {
    super(...args);
    this.isSerial = true;
  }
}

module.exports = SerialRunner;
