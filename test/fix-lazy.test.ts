/**
 * Fix edits cost a YAML editing parse of each document that gets one: they are computed only when the
 * output shows them (json, SARIF, formatter modules, --fix, the language server), not for stylish,
 * github or junit.
 */
import { lint } from '../src/engine/linter';
import { RuleRegistry } from '../src/engine/registry';
import { cli, writeTree } from './helpers';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n';

test('lint() computes fixes by default and not with fixes: false; the findings are the same', () => {
  const dir = writeTree({ 'pod.yaml': POD });
  const run = (fixes?: boolean) =>
    lint({
      cwd: dir,
      inputs: ['pod.yaml'],
      config: { data: {}, dir },
      registry: new RuleRegistry(),
      ...(fixes === undefined ? {} : { fixes }),
    });
  const withFixes = run().results[0]!.messages;
  const without = run(false).results[0]!.messages;
  expect(withFixes.some((m) => m.ruleId === 'privilege-escalation' && m.fix)).toBe(true);
  expect(without.some((m) => m.fix || m.suggestions)).toBe(false);
  expect(without.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`)).toEqual(
    withFixes.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`),
  );
});

test('the json format carries the fix', async () => {
  const dir = writeTree({ 'pod.yaml': POD });
  const json = await cli(['lint', '-f', 'json', 'pod.yaml'], { cwd: dir });
  const msgs = JSON.parse(json.stdout)[0].messages as { ruleId: string; fix?: unknown }[];
  expect(msgs.find((m) => m.ruleId === 'privilege-escalation')!.fix).toBeDefined();
});
