/**
 * lib/build.sh's ensure_built: dist/ is rebuilt when a source is newer than it, judged by the
 * sources' files. A checkout whose folders are links (a deployment, docs-as-written's copy) is not
 * rebuilt because the links were made after dist/: such a rebuild rewrote the shared dist/ under
 * other running jobs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, sh, tmpDir } from './helpers/exec';

const LINKED = ['src', 'mappers', 'reducers', 'bin', 'runner', 'build.mjs', 'package.json', 'node_modules'];

/** A checkout of links to this one's sources, its own dist/ with pairs-reducer.js at mtime `distTime`; an `npm` that logs its calls. */
function linkedCheckout(distTime: string): { root: string; calls: string } {
  const top = tmpDir('vp-build-');
  const root = path.join(top, 'checkout');
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  const reducer = path.join(root, 'dist', 'pairs-reducer.js');
  fs.writeFileSync(reducer, '', { mode: 0o755 });
  expect(sh(`touch -d '${distTime}' '${reducer}'`).code).toBe(0);
  // The links are made after dist/: their own times are newer than it.
  for (const name of LINKED) fs.symlinkSync(path.join(ROOT, name), path.join(root, name));
  const bin = path.join(top, 'bin');
  fs.mkdirSync(bin);
  const calls = path.join(top, 'calls');
  fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\necho "npm $*" >> '${calls}'\n`, { mode: 0o755 });
  return { root: root, calls };
}

function ensureBuilt(root: string, calls: string): string {
  const bin = path.join(path.dirname(calls), 'bin');
  const r = sh(`source lib/common.sh; source lib/build.sh; ROOT='${root}'; DIST='${root}/dist'; PATH='${bin}':$PATH; ensure_built`);
  expect(r.code).toBe(0);
  return fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8') : '';
}

/** A time past the newest of the sources' files, and before the links about to be made. */
function afterSources(): string {
  const newest = Number(sh(`find -H ${LINKED.filter((n) => n !== 'node_modules').map((n) => `'${path.join(ROOT, n)}'`).join(' ')} -type f -printf '%T@\\n' | sort -n | tail -1`).stdout.trim());
  expect(newest).toBeGreaterThan(0);
  // The links must be newer than dist/: at least a second past it.
  while (Date.now() / 1000 < newest + 3) sh('sleep 1');
  return `@${(newest + 1).toFixed(3)}`;
}

test('linked folders whose files are older than dist/: no rebuild, though the links are newer', () => {
  const c = linkedCheckout(afterSources());
  expect(ensureBuilt(c.root, c.calls)).toBe('');
});

test('linked folders whose files are newer than dist/: rebuilt', () => {
  const c = linkedCheckout('2000-01-01');
  expect(ensureBuilt(c.root, c.calls)).toBe('npm run --silent build\n');
});
