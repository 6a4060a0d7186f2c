#!/usr/bin/env node
// Bundles the CLI (our code, yaml, minimatch) into dist/k8s-gold.cjs, which bin/k8s-gold.js loads when present:
// one file to read and compile instead of about a hundred modules to resolve (docs/performance.md, "Start-up").
// Heavy dependencies that only some runs need stay external and are required lazily at run time: ajv (config,
// policy and CRD schemas) and kubernetes-models' precompiled validators (loaded by path, per kind).
// Two self-contained packages that most runs never call are bundled apart, as chunks beside the bundle that bin/k8s-gold.js
// loads with their own code cache when first required: `yaml` (the parser of the files the fast reader does not take, and
// the fixers' editor; 260 kB) and `diff` (--fix-dry-run; 75 kB). A run that does not need them neither reads nor
// compiles them (docs/performance.md, "One changed file: ... (inc20)").
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** package name -> the chunk's file name in dist/ */
const CHUNKS = { yaml: 'k8s-gold-yaml.cjs', diff: 'k8s-gold-diff.cjs' };
const chunkRequires = {
  name: 'chunks',
  setup(build) {
    build.onResolve({ filter: /^(yaml|diff)$/ }, (args) => ({ path: `./${CHUNKS[args.path]}`, external: true }));
  },
};
await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/k8s-gold.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // the language server's libraries are needed only by `k8s-gold lsp`; the CEL libraries (460 kB, ESM, loaded
  // through require(esm), Node >= 20.19) only by runs with ValidatingAdmissionPolicies, CRD rules or CEL policies
  external: [
    'ajv',
    'ajv/*',
    'ajv-formats',
    'ajv-formats/*',
    'kubernetes-models',
    'kubernetes-models/*',
    '@kubernetes-models/*',
    'vscode-languageserver',
    'vscode-languageserver/*',
    'vscode-languageserver-textdocument',
    '@marcbachmann/cel-js',
    're2js',
  ],
  plugins: [chunkRequires],
  // src/util/layout.ts: inside the bundle every module's __dirname is dist/
  define: { K8S_GOLD_BUNDLE: 'true' },
  legalComments: 'eof',
  logLevel: 'warning',
});

for (const [pkg, file] of Object.entries(CHUNKS)) {
  await esbuild.build({
    absWorkingDir: root,
    stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: root, loader: 'js' },
    outfile: `dist/${file}`,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    legalComments: 'eof',
    logLevel: 'warning',
  });
}

// The warm path (src/cli-warm.ts, docs/performance.md "Warm runs"): bin/k8s-gold.js loads it first for `lint --cache`;
// it replays the previous output of an unchanged tree with discovery, stat and digests alone (no YAML, no rules)
await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['src/cli-warm.ts'],
  outfile: 'dist/k8s-gold-warm.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  define: { K8S_GOLD_BUNDLE: 'true' },
  legalComments: 'eof',
  logLevel: 'warning',
});

// Post-processing, for the start-up (docs/performance.md, "Start-up"):
// - `import * as fs from 'node:fs'` becomes `var fs = __toESM(require("node:fs"))` at each of its ~60 import sites,
//   each a new object with a getter per export (about 100 for node:fs), and every call through it a getter call.
//   Where the bundle never reads the namespace's `default` (only a default import does), the built-in module itself
//   has the same properties: it is used as is. Elsewhere one namespace object per built-in module is shared.
// - an ASCII file reads into a one-byte string with no UTF-8 decoding (bin/k8s-gold.js checks with buffer.isAscii):
//   the few non-ASCII characters esbuild leaves (in a regular expression, in comments) become \u escapes, which
//   mean the same there and in strings and templates.
const fs = await import('node:fs');
for (const name of ['k8s-gold.cjs', 'k8s-gold-warm.cjs', ...Object.values(CHUNKS)]) {
  const out = path.join(root, 'dist', name);
  let code = fs.readFileSync(out, 'utf8');
  const helper = 'var __toESM = ';
  if (!Object.values(CHUNKS).includes(name) && !code.includes(helper))
    throw new Error('bundle: esbuild no longer defines __toESM as expected');
  code = code.replace(
    helper,
    'var __nodeNs = new Map();\nvar __toESMNode = (mod) => { let ns = __nodeNs.get(mod); if (!ns) __nodeNs.set(mod, (ns = __toESM(mod))); return ns; };\n' +
      helper,
  );
  code = code.replace(/^(\s*(?:var )?)([\w$]+) = __toESM\(require\("(node:[a-z_/]+)"\)\);$/gm, (all, lead, name, mod) =>
    new RegExp(`[^\\w$.]${name.replace(/\$/g, '\\$')}\\.default\\b`).test(code) ? all : `${lead}${name} = require("${mod}");`,
  );
  code = code.replace(/__toESM\(require\("(node:[a-z_/]+)"\)\)/g, '__toESMNode(require("$1"))');
  code = code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  fs.writeFileSync(out, code);
}
