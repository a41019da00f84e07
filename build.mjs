// Bundles every executable into dist/: one self-contained file each, with a
// node shebang and the executable bit, runnable on Node 18+ without node_modules.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

const entries = {
  'identity-mapper': 'mappers/identity-mapper.ts',
  'pairs-reducer': 'reducers/pairs-reducer.ts',
  'sum-reducer': 'reducers/sum-reducer.ts',
  'identity-reducer': 'reducers/identity-reducer.ts',
  partition: 'runner/partition.ts',
  'generate-views': 'bin/generate-views.ts',
  'job-plan': 'runner/job-plan.ts',
  related: 'bin/related.ts',
  confirm: 'runner/confirm.ts',
  'hadoop-counters': 'runner/hadoop-counters.ts',
  'inspect-input': 'runner/inspect-input.ts',
  ranges: 'runner/ranges.ts',
  serve: 'bin/serve.ts',
  evaluate: 'bin/evaluate.ts',
};

await Promise.all(
  Object.entries(entries).map(async ([name, entry]) => {
    const outfile = `dist/${name}.js`;
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node18',
      format: 'cjs',
      minify: false,
      sourcemap: false,
      legalComments: 'none',
      banner: { js: '#!/usr/bin/env node' },
      logLevel: 'warning',
    });
    chmodSync(outfile, 0o755);
  }),
);
