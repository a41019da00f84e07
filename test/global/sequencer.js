/**
 * jest testSequencer: the slowest suites first, so the parallel workers end
 * together instead of waiting on one long suite started last. jest orders by
 * the durations in its cache; a fresh clone (CI) has none, so the known slow
 * suites carry an expected duration here (seconds: a fresh-clone CI run of
 * 2026-12-07 on 2 cores, docs/performance.md#the-test-suite), and the rest
 * jest's guess from the file size.
 */
const path = require('node:path');
const jestInternal = require('./jest-internal');

const Sequencer = jestInternal('@jest/core', '@jest/test-sequencer').default;

const EXPECTED = {
  'cluster': 380,
  'proximity': 200,
  'db-interrupted': 195,
  'hadoop-runner': 195,
  'evaluate': 180,
  'hadoop-failures': 100,
  'ranked-lists': 95,
  'faults': 90,
  'cluster-interrupted': 80,
  'serve': 75,
  'emr-steps': 70,
  'emr-follow': 55,
  'local-runner': 50,
  'db-job': 50,
  'db-ranked': 45,
  'emr-submit': 40,
  'db-two-runs': 30,
  'docs-as-written': 30,
  'serve-swap': 25,
  'real-data': 25,
  'db-hardening': 20,
  'emr-cancel': 20,
  'memory-peaks': 20,
  'db-tls': 15,
  'property': 15,
  'db-export-views': 15,
  'memory': 15,
  'related': 15,
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
