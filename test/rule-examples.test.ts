/**
 * Each rule folder holds its whole life: rules/<id>/examples/before.yaml must
 * make the rule fire and examples/after.yaml must not (both are linted here,
 * and both are shown on the generated docs page), and rules/<id>/README.md,
 * where there is one, has exactly the fixed sections merged into the docs.
 * The examples are real manifests: neither may have a syntax, object or
 * schema finding (unless that is the rule shown).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RuleRegistry } from '../src/engine/registry';
import { parseReadme } from '../src/docs';
import { fixtureConfig, lintPaths, only, ROOT } from './helpers';

const registry = new RuleRegistry();
const rulesDir = path.join(ROOT, 'rules');
const ruleIds = fs
  .readdirSync(rulesDir)
  .filter((d) => fs.statSync(path.join(rulesDir, d)).isDirectory())
  .sort();
/** findings that say an example is not a real manifest */
const INPUT_RULES = ['yaml-syntax', 'invalid-object', 'duplicate-key', 'unreadable-file', 'schema'];

/** Lints an example with its rule and the input rules on; leading `# options:`/`# settings:` lines apply as in fixtures. */
function findings(file: string, id: string) {
  const r = lintPaths([file], {
    cwd: path.dirname(file),
    rules: only(id, 'schema'),
    config: fixtureConfig(fs.readFileSync(file, 'utf8'), id),
  });
  return r.results.flatMap((x) => x.messages).map((m) => ({ ruleId: m.ruleId, line: m.line, message: m.message }));
}

test('every rule with a check outside the Pod Security preset rules has examples', () => {
  const missing = registry
    .all()
    .filter((r) => !r.meta.id.includes('/') && !r.meta.engine && !r.meta.id.startsWith('pss-'))
    .map((r) => r.meta.id)
    .filter(
      (id) =>
        !fs.existsSync(path.join(rulesDir, id, 'examples', 'before.yaml')) ||
        !fs.existsSync(path.join(rulesDir, id, 'examples', 'after.yaml')),
    );
  expect(missing).toEqual([]);
});

for (const id of ruleIds) {
  const ex = path.join(rulesDir, id, 'examples');
  const readme = path.join(rulesDir, id, 'README.md');
  if (!fs.existsSync(ex) && !fs.existsSync(readme)) continue;
  describe(`rule ${id}`, () => {
    if (fs.existsSync(ex)) {
      test('examples/ holds exactly before.yaml and after.yaml', () => {
        expect(fs.readdirSync(ex).sort()).toEqual(['after.yaml', 'before.yaml']);
      });
      test('examples/before.yaml fires the rule', () => {
        const got = findings(path.join(ex, 'before.yaml'), id);
        // a policy's own id (vap/<policy>) is its rule's finding
        expect(got.filter((f) => registry.groupId(f.ruleId) === id).length).toBeGreaterThan(0);
        expect(got.filter((f) => f.ruleId !== id && INPUT_RULES.includes(f.ruleId))).toEqual([]);
      });
      test('examples/after.yaml is clean', () => {
        expect(findings(path.join(ex, 'after.yaml'), id)).toEqual([]);
      });
      test('the docs show the examples, not a second copy in meta.example', () => {
        expect(registry.get(id)!.meta.example).toBeUndefined();
      });
    }
    if (fs.existsSync(readme)) {
      test('README.md has the fixed sections', () => {
        expect(parseReadme(fs.readFileSync(readme, 'utf8'), id)).toEqual({
          readme: { 'Why it matters': expect.any(String), 'How to fix': expect.any(String) },
        });
      });
    }
  });
}

test('a README with other sections is rejected, naming what is wrong', () => {
  expect(parseReadme('# x\n\n## Why it matters\n\nA.\n\n## How to fix\n\nB.\n', 'x')).toEqual({
    readme: { 'Why it matters': 'A.', 'How to fix': 'B.' },
  });
  const bad = parseReadme('# y\n\nintro\n\n## Why\n\nA.\n\n## How to fix\n\n', 'x');
  expect('problems' in bad && bad.problems).toEqual([
    'the first line must be "# x"',
    'text before the first section: "intro"',
    'sections must be exactly "## Why it matters", "## How to fix" (found "Why", "How to fix")',
    'section "How to fix" is empty',
  ]);
});
