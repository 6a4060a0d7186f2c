import { lintPaths, only } from '/work/wt-rules-a/test/helpers';
test('dbg', () => {
  const f = process.env.F!; const id = process.env.R!;
  const r = lintPaths([f], { cwd: '/tmp', rules: only(id) });
  for (const m of r.results.flatMap((x) => x.messages)) console.log(`${m.line}:${m.column} ${m.level} ${m.message}`);
  console.log(r.internalErrors);
});
