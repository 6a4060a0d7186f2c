/**
 * Every rule's invalid fixtures, rendered through a chart with the real helm:
 * each fixture becomes templates/fixture.yaml of its own chart, and every
 * finding of the rule must land on the line its `# expect:` marker is on, as
 * it does when the file is linted directly. Fixtures helm cannot render (YAML
 * that helm's own parser rejects, documents that are not objects) are listed,
 * and must stay a small minority.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigData } from '../src/config/config';
import { EXPECT_RE } from '../src/docs';
import { RuleRegistry } from '../src/engine/registry';
import { fixtureConfig, lintPaths, only, ROOT, tmpdir } from './helpers';
import { describeWithTools } from './helpers/tools';

const registry = new RuleRegistry();

function expectedLines(text: string, ruleId: string): number[] {
  const out: number[] = [];
  text.split('\n').forEach((l, i) => {
    const m = EXPECT_RE.exec(l);
    if (!m) return;
    // <rule-id>[(messageId)][:severity][@column]
    for (const part of m[1]!.split(',')) if (part.trim().split(/[(:@]/)[0] === ruleId) out.push(i + 1);
  });
  return out;
}

describeWithTools('rule fixtures rendered through a chart', ({ helm }) => {
  const rulesDir = path.join(ROOT, 'rules');
  const fixtures: { id: string; file: string }[] = [];
  for (const id of fs.readdirSync(rulesDir).sort()) {
    const rule = registry.get(id);
    if (!rule || rule.meta.engine) continue;
    for (const f of fs.readdirSync(path.join(rulesDir, id)).sort())
      if (/^invalid.*\.ya?ml$/.test(f)) fixtures.push({ id, file: path.join(rulesDir, id, f) });
  }

  test('every finding lands on the template line of its expect marker', () => {
    const root = tmpdir('k8s-gold-fixture-charts-');
    const unrenderable: string[] = [];
    const wrong: string[] = [];
    let compared = 0;
    for (const { id, file } of fixtures) {
      const text = fs.readFileSync(file, 'utf8');
      if (text.includes('{{')) continue; // not a plain template
      const chart = path.join(root, `${id}-${path.basename(file, path.extname(file))}`);
      fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
      fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: fx\nversion: 0.1.0\n');
      fs.writeFileSync(path.join(chart, 'templates', 'fixture.yaml'), text);
      const config: ConfigData = { ...fixtureConfig(text, id), helm: { command: helm } };
      const run = lintPaths([chart], { cwd: root, rules: only(id), config });
      const all = run.results.flatMap((r) => r.messages.map((m) => ({ ...m, file: r.filePath })));
      if (all.some((m) => m.ruleId === 'helm-render')) {
        unrenderable.push(`${path.relative(ROOT, file)}: ${all.find((m) => m.ruleId === 'helm-render')!.message.slice(0, 120)}`);
        continue;
      }
      compared++;
      const got = all
        .filter((m) => m.ruleId === id)
        .map((m) => `${m.file}:${m.line}`)
        .sort();
      const want = expectedLines(text, id)
        .map((l) => `${path.basename(chart)}/templates/fixture.yaml:${l}`)
        .sort();
      if (JSON.stringify(got) !== JSON.stringify(want))
        wrong.push(`${path.relative(ROOT, file)}: got ${got.join(' ')}; want ${want.join(' ')}`);
    }
    // eslint-disable-next-line no-console
    if (unrenderable.length) console.log(`fixtures helm does not render (${unrenderable.length}):\n${unrenderable.join('\n')}`);
    expect(wrong).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(Math.ceil(fixtures.length * 0.85));
  }, 600_000);
});
