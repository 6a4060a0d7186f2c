/**
 * No import cycles in src/ and rules/ (runtime imports: `import type` is
 * erased and does not count). The engine is a pipeline of stages; a cycle
 * means a stage reaches back (as linter.ts ↔ parallel.ts and
 * parse/fast.ts ↔ parse/parse.ts once did).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './helpers';

type Graph = Map<string, string[]>;

function sources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.ts$/.test(e.name) && !/\.(test|d)\.ts$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Runtime imports between the files: `import … from './x.js'`, `export … from`, `require('./x.js')`. */
export function importGraph(files: Record<string, string>): Graph {
  const g: Graph = new Map();
  for (const [file, text] of Object.entries(files)) {
    const deps: string[] = [];
    const add = (spec: string): void => {
      const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'));
      if (Object.prototype.hasOwnProperty.call(files, target)) deps.push(target);
    };
    for (const m of text.matchAll(/^(import|export)\s+([^'";]*?)\s*from\s+'(\.[^']+)'/gm)) if (!/^type\b/.test(m[2]!)) add(m[3]!);
    for (const m of text.matchAll(/^import\s+'(\.[^']+)'/gm)) add(m[1]!);
    for (const m of text.matchAll(/require\('(\.[^']+)'\)/g)) add(m[1]!);
    g.set(file, deps);
  }
  return g;
}

/** The strongly connected components with more than one file (Tarjan), or a file importing itself. */
export function cycles(g: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (g.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of [...g.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

test('src/ and rules/ have no import cycles', () => {
  const files: Record<string, string> = {};
  for (const f of [...sources(path.join(ROOT, 'src')), ...sources(path.join(ROOT, 'rules'))]) files[f] = fs.readFileSync(f, 'utf8');
  expect(Object.keys(files).length).toBeGreaterThan(100);
  expect(cycles(importGraph(files)).map((c) => c.map((f) => path.relative(ROOT, f)))).toEqual([]);
});

test('the check finds a cycle, and ignores type-only imports', () => {
  const files = {
    '/p/a.ts': "import { b } from './b.js';\n",
    '/p/b.ts': "export { c } from './c.js';\n",
    '/p/c.ts': "const a = require('./a.js');\n",
    '/p/d.ts': "import type { A } from './e.js';\n",
    '/p/e.ts': "import { d } from './d.js';\n",
  };
  expect(cycles(importGraph(files))).toEqual([['/p/a.ts', '/p/b.ts', '/p/c.ts']]);
});
