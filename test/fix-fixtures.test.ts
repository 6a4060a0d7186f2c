/**
 * Every fix and suggestion on fixtures: rules/<id>/fix-<name>.yaml is fixed
 * with `--fix`'s passes (the rule's fixes only) and must equal
 * fix-<name>.fixed.yaml byte for byte; rules/<id>/suggest-<name>.yaml gets the
 * first suggestion of each of the rule's findings and must equal
 * suggest-<name>.fixed.yaml. Either way the result lints clean for that rule,
 * and the untouched text around the edits is unchanged. Leading `# settings:`
 * and `# options:` lines configure the lint as in the rule fixtures.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lint, lintFindings } from '../src/engine/linter';
import { RuleRegistry } from '../src/engine/registry';
import type { ConfigData } from '../src/config/config';
import { lintAndFix } from '../src/fix/run';
import { applyFixes } from '../src/fix/apply';
import type { LintMessage } from '../src/engine/result';
import { only, ROOT } from './helpers';

const registry = new RuleRegistry();

function fixtureConfig(text: string, ruleId: string): ConfigData {
  const config: ConfigData = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\uFEFF?#\s*(settings|options):\s*(\{.*\})\s*$/.exec(line);
    if (!m) {
      if (/^\uFEFF?\s*(#.*)?$/.test(line)) continue;
      break;
    }
    const value = JSON.parse(m[2]!) as Record<string, unknown>;
    if (m[1] === 'settings') config.settings = { ...config.settings, ...value };
    else config.rules = { [ruleId]: { options: value } };
  }
  return config;
}

function options(file: string, id: string, text: string, overrides?: Map<string, string>) {
  const dir = path.dirname(file);
  return { cwd: dir, inputs: [file], config: { data: fixtureConfig(text, id), dir }, cliRules: only(id), registry, overrides };
}

const rulesDir = path.join(ROOT, 'rules');
const cases: { id: string; file: string; kind: 'fix' | 'suggest' }[] = [];
for (const id of fs.readdirSync(rulesDir).sort()) {
  const dir = path.join(rulesDir, id);
  if (!fs.statSync(dir).isDirectory()) continue;
  for (const f of fs.readdirSync(dir).sort()) {
    const m = /^(fix|suggest)-.*\.(ya?ml|json)$/.exec(f);
    if (m && !f.includes('.fixed.')) cases.push({ id, file: path.join(dir, f), kind: m[1] as 'fix' | 'suggest' });
  }
}

test('fixable rules have fix fixtures, rules with suggestions have suggestion fixtures', () => {
  for (const r of registry.all()) {
    if (r.meta.fixable) expect(`${r.meta.id}: ${cases.some((c) => c.id === r.meta.id && c.kind === 'fix')}`).toBe(`${r.meta.id}: true`);
    if (r.meta.hasSuggestions)
      expect(`${r.meta.id}: ${cases.some((c) => c.id === r.meta.id && c.kind === 'suggest')}`).toBe(`${r.meta.id}: true`);
  }
});

/** The original text must be the fixed text with the applied edits undone: no byte outside an edit moved. */
function expectOnlyEdits(original: string, messages: LintMessage[], output: string): void {
  const { output: again } = applyFixes(original, messages);
  expect(again).toBe(output);
}

for (const c of cases) {
  const rel = path.relative(ROOT, c.file);
  const expectedFile = c.file.replace(/\.(ya?ml|json)$/, '.fixed.$1');
  test(`${rel} → ${path.basename(expectedFile)}`, () => {
    const text = fs.readFileSync(c.file, 'utf8');
    const expected = fs.readFileSync(expectedFile, 'utf8');
    let output: string;
    if (c.kind === 'fix') {
      const r = lintAndFix(lintFindings, options(c.file, c.id, text), (m) => m.ruleId === c.id);
      expect(r.fixed.length).toBe(1);
      output = r.fixed[0]!.output;
    } else {
      const run = lint(options(c.file, c.id, text));
      const msgs = run.results.flatMap((r) => r.messages).filter((m) => m.ruleId === c.id && m.suggestions?.length);
      expect(msgs.length).toBeGreaterThan(0);
      // one edit for findings that share a suggestion (e.g. one directory mount for several subPath mounts)
      const seen = new Set<string>();
      const asFixes = msgs
        .map((m) => ({ ...m, fix: m.suggestions![0]!.fix }))
        .filter((m) => !seen.has(JSON.stringify(m.fix)) && Boolean(seen.add(JSON.stringify(m.fix))));
      const applied = applyFixes(run.sources!.get(run.results[0]!.filePath)!.text, asFixes);
      expect(applied.deferred).toEqual([]);
      output = applied.output;
      expectOnlyEdits(run.sources!.get(run.results[0]!.filePath)!.text, asFixes, output);
    }
    expect(output).toBe(expected);
    // the fixed text lints clean for the rule, and without syntax errors
    const after = lint(options(c.file, c.id, text, new Map([[c.file, output]])));
    expect(after.results.flatMap((r) => r.messages).map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`)).toEqual([]);
  });
}
