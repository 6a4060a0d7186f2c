/** Generated docs are fresh, and rule metadata is complete (as typescript-eslint's docs tests). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RuleRegistry } from '../src/engine/registry';
import { generateDocs } from '../src/docs';
import { helpUri, optionsSchemaOf } from '../src/engine/rule';
import { ROOT } from './helpers';

const registry = new RuleRegistry();
const docsDir = path.join(ROOT, 'docs/rules');

test('docs/rules is up to date (run `npm run docs`)', () => {
  const docs = generateDocs(registry);
  const onDisk = fs.existsSync(docsDir)
    ? fs
        .readdirSync(docsDir)
        .filter((f) => f.endsWith('.md'))
        .sort()
    : [];
  expect(onDisk).toEqual([...docs.keys()].sort());
  for (const [name, text] of docs) {
    expect({ name, text: fs.readFileSync(path.join(docsDir, name), 'utf8') }).toEqual({ name, text });
  }
});

describe.each(registry.all().map((r) => [r.meta.id, r] as const))('rule %s metadata', (id, rule) => {
  const m = rule.meta;
  test('is complete and consistent', () => {
    expect(m.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(['error', 'warning', 'info']).toContain(m.severity);
    expect(m.description).toMatch(/^[A-Z`].*\.$/);
    expect(m.rationale.length).toBeGreaterThan(80);
    expect(m.remediation.length).toBeGreaterThan(30);
    expect(m.category).toBeTruthy();
    expect(m.tags.length).toBeGreaterThan(0);
    expect(helpUri(m)).toMatch(new RegExp(`/docs/rules/${id}\\.md$`));
    expect(fs.existsSync(path.join(docsDir, `${id}.md`))).toBe(true);
    const props = Object.keys((optionsSchemaOf(m) as { properties?: object } | undefined)?.properties ?? {});
    for (const k of Object.keys(m.defaultOptions)) expect(props).toContain(k);
  });
});
