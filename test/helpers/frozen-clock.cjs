'use strict';
// Preloaded (`node -r`) into a CLI run by test/cache-racy.test.ts: a file system whose clock stands still. Every
// stat of a path under $K8S_GOLD_TEST_FROZEN_DIR reports the same modification and change time, as a file system
// with a coarse timestamp granularity does for changes made within one of its ticks (a second, or two, on some; one
// tick of the kernel's coarse clock, a few ms, on others): a file written again with the same size then keeps its
// stamp (size, times, inode), which is the "racy" case the caches must not take for an unchanged file.
const fs = require('node:fs');
const dir = process.env.K8S_GOLD_TEST_FROZEN_DIR;
const SEC = 1767225600; // 2026-01-01T00:00:00Z
const MS = SEC * 1e3;
const NS = BigInt(SEC) * 1000000000n;
function freeze(st) {
  if (!st) return st;
  const big = typeof st.size === 'bigint';
  for (const t of ['mtime', 'ctime']) {
    Object.defineProperty(st, `${t}Ms`, { value: big ? BigInt(MS) : MS, writable: true, enumerable: true, configurable: true });
    if (big) Object.defineProperty(st, `${t}Ns`, { value: NS, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(st, t, { value: new Date(MS), writable: true, enumerable: true, configurable: true });
  }
  return st;
}
for (const name of ['statSync', 'lstatSync']) {
  const real = fs[name];
  fs[name] = function frozenStat(p, ...rest) {
    const st = real.call(this, p, ...rest);
    return dir && typeof p === 'string' && (p === dir || p.startsWith(`${dir}/`)) ? freeze(st) : st;
  };
}
