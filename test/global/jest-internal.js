/**
 * Requires one of jest's own packages (not this project's dependencies) the
 * way jest resolves it: along its dependency chain jest -> @jest/core -> ...
 */
const path = require('node:path');

function dirOf(name, from) {
  return path.dirname(require.resolve(`${name}/package.json`, { paths: [from] }));
}

/** CHAIN: package names, each a dependency of the one before, starting below `jest`. */
module.exports = function jestInternal(...chain) {
  let dir = dirOf('jest', __dirname);
  for (const name of chain.slice(0, -1)) dir = dirOf(name, dir);
  return require(require.resolve(chain[chain.length - 1], { paths: [dir] }));
};
