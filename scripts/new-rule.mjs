// Scaffolds a rule folder: `npm run new-rule -- <id> [--severity warning] [--applies-to PodSpecHolder]`.
// Writes rules/<id>/{index.ts,README.md,valid.yaml,invalid.yaml,examples/before.yaml,examples/after.yaml} and
// registers the rule in src/engine/registry.ts.
// `--root <dir>` writes into another checkout (used by the tests).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    severity: { type: 'string', default: 'warning' },
    'applies-to': { type: 'string', default: 'PodSpecHolder' },
    root: { type: 'string' },
  },
});
const root = path.resolve(values.root ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..'));
const id = positionals[0];
const fail = (m) => {
  console.error(`new-rule: ${m}`);
  process.exit(2);
};
if (!id || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) fail('give a kebab-case rule id, e.g. npm run new-rule -- no-host-aliases');
if (!['error', 'warning', 'info'].includes(values.severity)) fail('--severity is error, warning or info');
const dir = path.join(root, 'rules', id);
if (fs.existsSync(dir)) fail(`rules/${id} already exists`);
const camel = id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const applies = values['applies-to'].split(',').map((s) => s.trim());

fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(
  path.join(dir, 'index.ts'),
  `import { defineRule } from '../../src/engine/rule.js';
import { containers } from '../../src/model/workload.js';

interface Options {
  /** example option: delete it if the rule needs none */
  exampleOption: boolean;
}

export default defineRule<Options>({
  meta: {
    id: '${id}',
    severity: '${values.severity}',
    category: 'reliability',
    description: 'TODO: one line saying what the rule checks, ending with a period.',
    rationale: 'TODO: why it matters: the production failure it prevents, in a few sentences of Markdown (at least 80 characters).',
    remediation: 'TODO: how to fix it, with the field to set.',
    tags: ['reliability'],
    appliesTo: ${JSON.stringify(applies)},
    presets: ['recommended'],
    schema: {
      type: 'object',
      properties: { exampleOption: { type: 'boolean', description: 'TODO' } },
      additionalProperties: false,
    },
    defaultOptions: { exampleOption: true },
    messages: {
      todo: 'container "{{container}}" TODO: what is wrong, why, and how to fix it.',
    },
  },
  check(obj, ctx) {
    for (const c of containers(obj)) {
      if (c.container.image !== undefined) continue;
      ctx.report({ path: c.path, messageId: 'todo', data: { container: c.name } });
    }
  },
});
`,
);
fs.writeFileSync(
  path.join(dir, 'valid.yaml'),
  `# Objects ${id} must accept: the other side of every boundary the rule draws.
apiVersion: v1
kind: Pod
metadata:
  name: ok
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
`,
);
fs.writeFileSync(
  path.join(dir, 'invalid.yaml'),
  `# Every finding is marked on its line with an expect marker: the rule id, optionally (messageId), :severity and
# @column (or @column-endColumn).
apiVersion: v1
kind: Pod
metadata:
  name: bad
spec:
  containers:
    - name: app # expect: ${id}(todo)
`,
);

fs.writeFileSync(
  path.join(dir, 'README.md'),
  `# ${id}

## Why it matters

TODO: longer prose than meta.rationale, added to the "Why it matters" section of docs/rules/${id}.md: the
incident it prevents, how the failure shows up, what the check cannot know. Delete this file if meta.rationale says it all.

## How to fix

TODO: longer prose than meta.remediation, added to the "How to fix" section (steps, commands, trade-offs).
`,
);
// examples/: shown on the docs page and linted by test/rule-examples.test.ts (before fires the rule, after does not)
fs.mkdirSync(path.join(dir, 'examples'));
const pod = (image) => `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: web
${image}`;
fs.writeFileSync(path.join(dir, 'examples', 'before.yaml'), pod(''));
fs.writeFileSync(path.join(dir, 'examples', 'after.yaml'), pod('      image: registry.example.com/shop/web:1.4.2\n'));

const regPath = path.join(root, 'src', 'engine', 'registry.ts');
let reg = fs.readFileSync(regPath, 'utf8');
const lastImport = reg.lastIndexOf('\nimport ');
const importEnd = reg.indexOf('\n', lastImport + 1);
reg = reg.slice(0, importEnd + 1) + `import ${camel} from '../../rules/${id}/index.js';\n` + reg.slice(importEnd + 1);
reg = reg.replace(/(export const BUILTIN_RULES: readonly AnyRule\[\] = \[[\s\S]*?)(\n\];)/, `$1\n  ${camel},$2`);
fs.writeFileSync(regPath, reg);
console.log(`created rules/${id}/ (index.ts, README.md, valid.yaml, invalid.yaml, examples/) and registered it in src/engine/registry.ts.
Next: write the check, the fixtures and the examples, add a marked mistake to examples/broken/, then
  npx jest test/rule-fixtures.test.ts test/rule-examples.test.ts -t ${id}
  npm run docs`);
