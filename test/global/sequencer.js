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
  'cluster': 240,
  'proximity': 200,
  'hadoop-runner': 150,
  'cluster-interrupted': 120,
  'ranked-lists': 100,
  'serve-swap': 60,
  'emr-cancel': 45,
  'db-hardening': 45,
  'docs-as-written': 40,
  'db-tls': 35,
  'db-job': 35,
  'emr-submit': 120,
  'evaluate': 110,
  'emr-follow': 100,
  'emr-steps': 100,
  'db-interrupted': 100,
  'hadoop-failures': 80,
  'faults': 60,
  'local-runner': 60,
  'db-ranked': 40,
  'real-data': 40,
  'serve': 40,
  'related': 25,
  'memory': 20,
  'memory-peaks': 20,
  'pairs': 15,
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
