/**
 * jest testSequencer: the slowest suites first, so the parallel workers end
 * together instead of waiting on one long suite started last. jest orders by
 * the durations in its cache; a fresh clone (CI) has none, so the known slow
 * suites carry an expected duration here (seconds, measured on 2 cores;
 * docs/testing.md), and the rest jest's guess from the file size.
 */
const path = require('node:path');
const jestInternal = require('./jest-internal');

const Sequencer = jestInternal('@jest/core', '@jest/test-sequencer').default;

const EXPECTED = {
  'hadoop-runner': 300,
  'cluster': 300,
  'db-job': 200,
  'evaluate': 180,
  'emr-steps': 120,
  'ranked-lists': 100,
  'hadoop-failures': 100,
  'emr-submit': 90,
  'emr-follow': 60,
  'memory': 50,
  'db-ranked': 40,
  'serve': 30,
  'real-data': 30,
  'local-runner': 30,
  'related': 20,
  'pairs': 20,
};

class SlowFirst extends Sequencer {
  sort(tests) {
    const expected = (test) => {
      const cached = this.time(test);
      if (cached != null) return cached;
      const name = path.basename(test.path).replace(/(\.serial)?\.test\.ts$/, '');
      return (EXPECTED[name] ?? 0) * 1000;
    };
    const weight = new Map(tests.map((t) => [t, expected(t)]));
    return [...tests].sort((a, b) => weight.get(b) - weight.get(a) || (a.path < b.path ? -1 : 1));
  }
}

module.exports = SlowFirst;
