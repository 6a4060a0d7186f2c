// Jest transform: TypeScript → CommonJS through esbuild (types are checked by `tsc --noEmit` in `npm test`).
'use strict';
const esbuild = require('esbuild');
module.exports = {
  process(src, filename) {
    const out = esbuild.transformSync(src, { loader: 'ts', format: 'cjs', target: 'node20', sourcemap: 'inline', sourcefile: filename });
    return { code: out.code };
  },
};
