#!/usr/bin/env node
// Bundles the CLI (our code, yaml, minimatch) into dist/k8s-gold.cjs, which bin/k8s-gold.js loads when present:
// one file to read and compile instead of about a hundred modules to resolve (docs/performance.md, "Start-up").
// Heavy dependencies that only some runs need stay external and are required lazily at run time: ajv (config,
// policy and CRD schemas) and kubernetes-models' precompiled validators (loaded by path, per kind).
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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
  // src/util/layout.ts: inside the bundle every module's __dirname is dist/
  define: { K8S_GOLD_BUNDLE: 'true' },
  legalComments: 'eof',
  logLevel: 'warning',
});
