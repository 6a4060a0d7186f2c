#!/usr/bin/env node
'use strict';
// Loads the bundle dist/k8s-gold.cjs when the build made one (scripts/bundle.mjs), else the tsc output
// dist/src/cli.js (docs/performance.md, "Start-up"). K8S_GOLD_NO_BUNDLE=1 forces the latter.
const fs = require('node:fs');
const path = require('node:path');

function loadCli() {
  const bundle = path.join(__dirname, '..', 'dist', 'k8s-gold.cjs');
  if (process.env.K8S_GOLD_NO_BUNDLE !== '1' && fs.existsSync(bundle)) return require(bundle);
  return require('../dist/src/cli.js');
}

loadCli().run(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.stderr.write(`k8s-gold: internal error: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
