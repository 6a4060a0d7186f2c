'use strict';
// Preloaded into a measured process (node -r): writes its CPU time and peak RSS (all threads) to K8S_GOLD_RUSAGE at exit.
const fs = require('node:fs');
process.on('exit', () => {
  const u = process.resourceUsage();
  fs.writeFileSync(process.env.K8S_GOLD_RUSAGE, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKb: u.maxRSS }));
});
