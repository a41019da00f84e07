// Line plumbing cost: the shared byte-level line reader (src/io/lines.ts)
// against split2 + through2, counting the lines of one file. Median of runs.
//   node bench/line-reader.mjs FILE [RUNS]
import { build } from 'esbuild';
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import split2 from 'split2';
import { objectTransform } from 'through2';

const [file, runsArg = '5'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/line-reader.mjs FILE [RUNS]');
  process.exit(2);
}
const bundled = await build({ entryPoints: ['src/io/lines.ts'], bundle: true, platform: 'node', format: 'cjs', write: false });
const mod = { exports: {} };
new Function('module', 'exports', 'require', bundled.outputFiles[0].text)(mod, mod.exports, createRequire(import.meta.url));
const { LineSplitter } = mod.exports;

function scanner() {
  let n = 0;
  const s = new LineSplitter(() => n++);
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 16);
  for (let r; (r = readSync(fd, buf, 0, buf.length, null)) > 0; ) s.push(buf.subarray(0, r));
  s.end();
  closeSync(fd);
  return n;
}

function streams() {
  return new Promise((resolve, reject) => {
    let n = 0;
    createReadStream(file)
      .pipe(split2())
      .pipe(objectTransform((_line, _enc, next) => { n++; next(); }))
      .on('finish', () => resolve(n))
      .on('error', reject)
      .resume();
  });
}

async function time(fn) {
  const t0 = process.hrtime.bigint();
  const lines = await fn();
  return { lines, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

const runs = Number(runsArg);
const results = { 'byte-level reader': [], 'split2 + through2': [] };
let lines = 0;
for (let i = 0; i < runs; i++) {
  const a = await time(scanner);
  const b = await time(streams);
  if (a.lines !== b.lines) throw new Error(`line counts differ: ${a.lines} vs ${b.lines}`);
  lines = a.lines;
  results['byte-level reader'].push(a.ms);
  results['split2 + through2'].push(b.ms);
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(`| reader | median ms (${runs} runs, ${lines} lines) | ns/line |`);
console.log('|---|---|---|');
for (const [name, xs] of Object.entries(results)) {
  const m = median(xs);
  console.log(`| ${name} | ${m.toFixed(0)} | ${((m * 1e6) / lines).toFixed(0)} |`);
}
