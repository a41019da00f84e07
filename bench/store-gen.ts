// The store-scale views file (bench/store-data.ts): generates it into the
// cache (.cache/bench/store/) unless it is there, prints its path on stdout and
// its facts on stderr. Usage: node .cache/bench/store-gen.js [--views N] [--seed N] [--products N]
import { fail } from './log';
import { storeViews } from './store-file';
import { STORE_DEFAULTS, storeParams } from './store-data';

function main(): void {
  let views = STORE_DEFAULTS.views;
  let seed = STORE_DEFAULTS.seed;
  let products = STORE_DEFAULTS.products;
  const args = process.argv.slice(2);
  for (let a = args.shift(); a !== undefined; a = args.shift()) {
    const v = Number(args.shift());
    if (!Number.isInteger(v) || v < 1) fail(`${a} needs a positive integer`);
    if (a === '--views') views = v;
    else if (a === '--seed') seed = v;
    else if (a === '--products') products = v;
    else fail(`unknown option ${a} (usage: store-gen.js [--views N] [--seed N] [--products N])`);
  }
  const r = storeViews(storeParams(views, seed, products));
  process.stderr.write(`store-gen: ${r.cached ? 'cached' : `generated in ${r.seconds.toFixed(1)} s`}: ${JSON.stringify(r.stats)}\n`);
  process.stdout.write(`${r.file}\n`);
}

main();
