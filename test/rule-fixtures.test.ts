/**
 * Every rule's fixtures: rules/<id>/valid*.yaml must produce no finding of
 * the rule, and rules/<id>/invalid*.yaml must produce exactly the findings
 * marked on their lines with
 * `# expect: <rule-id>[(<messageId>)][:<severity>][@<column>[-<endColumn>]]`
 * (several separated by commas). Without @column, a finding must start at
 * the first token of its line (after any "- "), i.e. at the offending field.
 * A message id, severity or end column, where given, must match too.
 * Leading comment lines `# settings: {json}` and `# options: {json}` lint the
 * file with those rule settings (e.g. `{"kubernetesVersion": "1.26"}`) and
 * those options for the rule under test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RuleRegistry } from '../src/engine/registry';
import { messageIdOf } from '../src/engine/result';
import { EXPECT_RE } from '../src/docs';
import { fixtureConfig, lintPaths, only, ROOT } from './helpers';

const registry = new RuleRegistry();

interface Expect {
  line: number;
  ruleId: string;
  messageId?: string;
  severity?: string;
  column: number;
  endColumn?: number;
}

function expectations(text: string): Expect[] {
  const out: Expect[] = [];
  text.split('\n').forEach((l, i) => {
    const m = EXPECT_RE.exec(l);
    if (!m) return;
    const firstToken = /^(\s*(?:-\s+)*)/.exec(l)![1]!.length + 1;
    for (const part of m[1]!.split(',')) {
      const pm = /^\s*([a-z0-9/.-]+)(?:\(([A-Za-z0-9_]+)\))?(?::(error|warning|info))?(?:@(\d+)(?:-(\d+))?)?\s*$/.exec(part);
      if (!pm) throw new Error(`bad expect marker on line ${i + 1}: ${part}`);
      out.push({
        line: i + 1,
        ruleId: pm[1]!,
        messageId: pm[2],
        severity: pm[3],
        column: pm[4] ? Number(pm[4]) : firstToken,
        endColumn: pm[5] ? Number(pm[5]) : undefined,
      });
    }
  });
  return out;
}

const rulesDir = path.join(ROOT, 'rules');
const ruleIds = fs
  .readdirSync(rulesDir)
  .filter((d) => fs.statSync(path.join(rulesDir, d)).isDirectory())
  .sort();

test('every rule directory is registered, and every registered built-in rule has a directory', () => {
  expect(ruleIds).toEqual(registry.ids().filter((id) => !id.includes('/')));
});

for (const id of ruleIds) {
  const dir = path.join(rulesDir, id);
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^(valid|invalid).*\.(ya?ml|json)$/.test(f))
    .sort();
  const rule = registry.get(id);
  describe(`rule ${id}`, () => {
    if (!rule?.meta.engine) {
      test('has valid and invalid fixtures', () => {
        expect(files.some((f) => f.startsWith('valid'))).toBe(true);
        expect(files.some((f) => f.startsWith('invalid'))).toBe(true);
      });
    }
    for (const f of files) {
      const file = path.join(dir, f);
      test(f, () => {
        const text = fs.readFileSync(file, 'utf8');
        const runResult = lintPaths([file], { cwd: dir, rules: only(id), config: fixtureConfig(text, id) });
        const got = runResult.results
          .flatMap((r) => r.messages)
          .map((m) => ({
            line: m.line,
            ruleId: m.ruleId,
            messageId: messageIdOf(m),
            severity: m.level,
            column: m.column,
            endColumn: m.endColumn,
            message: m.message,
          }));
        const want = expectations(text);
        if (f.startsWith('valid')) {
          expect(got).toEqual([]);
          expect(want).toEqual([]);
          return;
        }
        expect(want.length).toBeGreaterThan(0);
        const norm = (xs: { line: number; ruleId: string; severity?: string; column: number }[], withSev: (i: number) => boolean) =>
          xs.map((x, i) => `${x.line}:${x.column} ${x.ruleId}${withSev(i) ? ':' + x.severity : ''}`).sort();
        // severities are compared where the marker names one
        const order = (a: Omit<Expect, 'severity'>, b: Omit<Expect, 'severity'>) =>
          a.line - b.line ||
          a.column - b.column ||
          a.ruleId.localeCompare(b.ruleId) ||
          (a.messageId ?? '').localeCompare(b.messageId ?? '');
        const gotSorted = [...got].sort(order);
        const wantSorted = [...want].sort(order);
        expect(norm(gotSorted, () => false)).toEqual(norm(wantSorted, () => false));
        // message ids, severities and end columns are compared where the marker names one
        for (let i = 0; i < wantSorted.length; i++) {
          const w = wantSorted[i]!;
          const g = gotSorted[i]!;
          const at = `${w.line}:${w.column} ${w.ruleId}`;
          if (w.messageId) expect(`${at} (${String(g.messageId)})`).toBe(`${at} (${w.messageId})`);
          if (w.severity) expect(`${at}:${g.severity}`).toBe(`${at}:${w.severity}`);
          if (w.endColumn !== undefined) expect(`${at}-${g.endColumn}`).toBe(`${at}-${w.endColumn}`);
        }
        for (const g of got) expect(g.message.length).toBeGreaterThan(10);
      });
    }
  });
}
