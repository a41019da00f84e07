/**
 * jest transform: TypeScript to CommonJS with esbuild (already the build's
 * tool), types stripped without checking them: `npm run typecheck` (tsc, in
 * pretest) checks the types once for the whole tree.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const esbuild = require('esbuild');

const OPTIONS = {
  loader: 'ts',
  format: 'cjs',
  target: 'node18',
  sourcemap: 'inline',
  // tsconfig.json's target ES2022 makes class fields define semantics; keep that.
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
};
const SELF = crypto.createHash('sha1').update(fs.readFileSync(__filename)).update(esbuild.version).digest('hex');

module.exports = {
  process(source, filename) {
    return { code: esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename }).code };
  },
  getCacheKey(source, filename) {
    return crypto.createHash('sha1').update(SELF).update(filename).update('\0').update(source).digest('hex');
  },
};
