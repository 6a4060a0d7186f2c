#!/usr/bin/env node
'use strict';
// Start-up (docs/performance.md, "Start-up"): loads the bundle dist/k8s-gold.cjs when the build made one
// (scripts/bundle.mjs), else the tsc output dist/src/cli.js; K8S_GOLD_NO_BUNDLE=1 forces the latter.
// The bundle is compiled with a V8 code cache: Node's own (module.enableCompileCache, Node >= 22.1), or on
// older Node a vm.Script with cachedData kept in a private per-user directory under os.tmpdir(), keyed by the
// bundle's path, size, times and inode, the node version and arch (and whether the bundle was ASCII, so that a
// run that finds its entry need not scan the 1.8 MB again). Any problem
// with the cache (unwritable, foreign, rejected by V8) only means compiling without it.
const fs = require('node:fs');
const path = require('node:path');

function cacheDir() {
  const os = require('node:os');
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const dir = path.join(os.tmpdir(), `k8s-gold-cache-${uid ?? os.userInfo().username}`);
  // made only when missing: mkdir of a directory that is there throws, and the error with its stack costs more than this lstat
  let st = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (!st) {
    try {
      fs.mkdirSync(dir, { mode: 0o700 });
    } catch (e) {
      if (e.code !== 'EEXIST') return undefined;
    }
    st = fs.lstatSync(dir);
  }
  // another user's directory, or one others may write to, could hold planted code: do not use it
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return undefined;
  return dir;
}

/** FNV-1a of a string's UTF-16 code units, 32 bits, in hex. */
function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}

/**
 * Runs the bundle as Node's CommonJS loader would (same wrapper, module, require, __filename, __dirname); its chunks
 * (`require("./k8s-gold-yaml.cjs")`, scripts/bundle.mjs) are loaded the same way, each with its own code cache, when
 * first required. `saves` gets the function that writes each one's cache after the run.
 */
function loadBundleCached(filename, saves) {
  const Module = require('node:module');
  const vm = require('node:vm');
  const bytes = fs.readFileSync(filename);
  let cacheFile;
  let cached;
  let id;
  let dir;
  try {
    dir = cacheDir();
    if (dir) {
      // keyed by the bundle's path and file identity (a build writes a new file: new mtime), not a hash of its 1.5 MB;
      // the identity as it is, the path by a hash (two paths that share the rest are links to one file: the same code)
      // that needs no node:crypto (about 15 modules to load)
      const st = fs.statSync(filename, { bigint: true });
      id = [st.ino, st.dev, st.size, st.mtimeNs, st.ctimeNs, process.version, process.arch, fnv1a(filename)].join('-');
      // an entry named `-a` was made from this file (same identity) when it was ASCII: it still is, no need to scan it again
      cacheFile = path.join(dir, `${path.basename(filename)}-${id}-a.jscache`);
      cached = fs.readFileSync(cacheFile);
    }
  } catch {
    cached = undefined;
  }
  // scripts/bundle.mjs writes ASCII: a one-byte string, no UTF-8 decoding
  let ascii = cached !== undefined;
  if (!ascii) {
    const isAscii = require('node:buffer').isAscii;
    ascii = typeof isAscii === 'function' && isAscii(bytes);
    if (!ascii && dir && id) {
      cacheFile = path.join(dir, `${path.basename(filename)}-${id}-u.jscache`);
      try {
        cached = fs.readFileSync(cacheFile);
      } catch {
        cached = undefined;
      }
    }
  }
  const source = ascii ? bytes.toString('latin1') : bytes.toString('utf8');
  const script = new vm.Script(Module.wrap(source), { filename, cachedData: cached });
  const mod = new Module(filename, module);
  mod.filename = filename;
  mod.paths = Module._nodeModulePaths(path.dirname(filename));
  Module._cache[filename] = mod;
  const fn = script.runInThisContext({ displayErrors: true });
  const plain = Module.createRequire(filename);
  const req = (request) => {
    if (typeof request !== 'string' || !/^\.\/k8s-gold-[a-z]+\.cjs$/.test(request)) return plain(request);
    const chunk = path.join(path.dirname(filename), request);
    const loaded = Module._cache[chunk];
    return loaded ? loaded.exports : loadBundleCached(chunk, saves);
  };
  Object.assign(req, { resolve: plain.resolve, cache: plain.cache, main: plain.main, extensions: plain.extensions });
  fn.call(mod.exports, mod.exports, req, mod, filename, path.dirname(filename));
  mod.loaded = true;
  saves.push(() => {
    if (!cacheFile || (cached && !script.cachedDataRejected)) return;
    // after the run, so that the functions it compiled lazily are in the cache too
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(tmp, cacheFile);
    } catch {
      // no cache then
    }
  });
  return mod.exports;
}

function loadBundle(bundle) {
  // not before the warm path, which has no use for it (node:module loads four more modules)
  const Module = require('node:module');
  if (typeof Module.enableCompileCache === 'function') {
    Module.enableCompileCache();
    return { cli: require(bundle), save() {} };
  }
  const saves = [];
  const cli = loadBundleCached(bundle, saves);
  return { cli, save: () => saves.forEach((s) => s()) };
}

function loadCli() {
  const bundle = path.join(__dirname, '..', 'dist', 'k8s-gold.cjs');
  if (process.env.K8S_GOLD_NO_BUNDLE === '1' || !fs.existsSync(bundle)) return { cli: require('../dist/src/cli.js'), save() {} };
  return loadBundle(bundle);
}

/**
 * The warm path (docs/performance.md, "Warm runs"): `lint --cache` on an unchanged tree replays the previous output
 * with the small bundle dist/k8s-gold-warm.cjs (src/cli-warm.ts), without loading the linter; its exit code, or
 * undefined when the CLI must run (it has written nothing then).
 */
function warmRun(argv) {
  if (!argv.includes('--cache') || process.env.K8S_GOLD_NO_BUNDLE === '1') return undefined;
  const bundle = path.join(__dirname, '..', 'dist', 'k8s-gold-warm.cjs');
  if (!fs.existsSync(bundle)) return undefined;
  // 11 kB: compiled faster than a code cache is found (which would load node:crypto, node:vm and node:os)
  return require(bundle).run(argv);
}

const warmCode = warmRun(process.argv.slice(2));
// the replay was written synchronously: exit now ('exit' listeners run), without tearing down the heap and the
// environment as the end of the event loop does (docs/performance.md, "Warm runs, twelfth round")
if (warmCode !== undefined) process.exit(warmCode);
else {
  // TurboFan inlines less into each function it optimizes: a cold lint optimizes hundreds of functions on V8's
  // background threads, which on a 2-core machine take CPU from the main thread and the garbage collector's
  // helpers; with this budget those compilations cost about 300 ms less CPU per 5,000-resource lint and the
  // optimized code runs as fast (docs/performance.md, "Start-up"). Set before the bundle is compiled, so that its
  // code cache is made and checked under the same flags.
  require('node:v8').setFlagsFromString('--max-inlined-bytecode-size-cumulative=150');
  const { cli, save } = loadCli();
  cli.run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      save();
      // the run is over and its output written (a write a pipe has not taken yet leaves the event loop to finish it):
      // exit now rather than run V8's pending garbage-collection tasks first (src/cli.ts, mayExitAtOnce)
      if (cli.mayExitAtOnce?.() && !process.stdout.writableLength && !process.stderr.writableLength) process.exit(code);
    },
    (err) => {
      process.stderr.write(`k8s-gold: internal error: ${err && err.message ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
