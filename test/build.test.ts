/**
 * lib/build.sh's ensure_built: dist/ is rebuilt when a source is newer than it, judged by the
 * sources' files. A checkout whose folders are links (a deployment, docs-as-written's copy) is not
 * rebuilt because the links were made after dist/: such a rebuild rewrote the shared dist/ under
 * other running jobs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, sh, tmpDir } from './helpers/exec';

/** What dist/ is built from: build.sh's own list. */
const SOURCES = sh('source lib/build.sh; printf "%s\\n" "${BUILD_SOURCES[@]}"').stdout.trim().split('\n');

/** A checkout of links to every entry of this one but dist/, its own dist/ with pairs-reducer.js at mtime `distTime`; an `npm` that logs its calls. */
function linkedCheckout(distTime: string): { root: string; bin: string; calls: string } {
  const top = tmpDir('vp-build-');
  const root = path.join(top, 'checkout');
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  const reducer = path.join(root, 'dist', 'pairs-reducer.js');
  fs.writeFileSync(reducer, '', { mode: 0o755 });
  expect(sh(`touch -d '${distTime}' '${reducer}'`).code).toBe(0);
  // The links are made after dist/: their own times are newer than it.
  for (const name of fs.readdirSync(ROOT)) if (name !== 'dist') fs.symlinkSync(path.join(ROOT, name), path.join(root, name));
  const bin = path.join(top, 'bin');
  fs.mkdirSync(bin);
  const calls = path.join(top, 'calls');
  fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\necho "npm $*" >> '${calls}'\n`, { mode: 0o755 });
  return { root, bin, calls };
}

/** ensure_built in that checkout: the npm calls it made. */
function ensureBuilt(c: { root: string; bin: string; calls: string }): string {
  const r = sh(`source lib/common.sh; source lib/build.sh; ROOT='${c.root}'; DIST='${c.root}/dist'; PATH='${c.bin}':$PATH; ensure_built`);
  expect(r.code).toBe(0);
  return fs.existsSync(c.calls) ? fs.readFileSync(c.calls, 'utf8') : '';
}

/** A time past the newest of the sources' files, and before the links about to be made. */
function afterSources(): string {
  expect(SOURCES).toContain('src');
  const newest = Number(sh(`find -H ${SOURCES.map((n) => `'${path.join(ROOT, n)}'`).join(' ')} -type f -printf '%T@\\n' | sort -n | tail -1`).stdout.trim());
  expect(newest).toBeGreaterThan(0);
  // The links must be newer than dist/: at least a second past it.
  while (Date.now() / 1000 < newest + 3) sh('sleep 1');
  return `@${(newest + 1).toFixed(3)}`;
}

test('linked folders whose files are older than dist/: no rebuild, though the links are newer', () => {
  expect(ensureBuilt(linkedCheckout(afterSources()))).toBe('');
});

test('linked folders whose files are newer than dist/: rebuilt', () => {
  expect(ensureBuilt(linkedCheckout('2000-01-01'))).toBe('npm run --silent build\n');
});
