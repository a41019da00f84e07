/**
 * The test cluster (tools/cluster/cluster.sh: Hadoop's MiniCluster, HDFS and
 * YARN), one per jest run: an already running one is used as it is; else the
 * first suite that needs it starts it, and the run's teardown stops it and
 * checks that it is down.
 */
import { sh } from './exec';
import { sharedOnce } from './once';

export const CLUSTER = 'bash tools/cluster/cluster.sh';

/** The cluster's client configuration directory (for --hadoop-conf). */
export const sharedCluster = sharedOnce<string>('cluster', async () => {
  const status = sh(`${CLUSTER} status`);
  if (status.code === 0) return { value: status.stdout.trim().split(' ')[1] };
  const up = sh(`${CLUSTER} up`);
  if (up.code !== 0) {
    sh(`${CLUSTER} down`); // a half-started cluster is stopped too
    throw new Error(`cluster:up failed:\n${up.stderr.slice(-4000)}`);
  }
  const lines = up.stdout.trim().split('\n');
  // Down means status exits 3; anything else fails the run.
  const down = `${CLUSTER} down && { ${CLUSTER} status; [ $? -eq 3 ]; }`;
  return { value: lines[lines.length - 1], teardown: [down] };
}, 900_000);
