/** A rule's documentation page (docs/rules/<id>.md) in Markdown, from its metadata, README and fixtures. */
import { messageSeverity, messageText, optionsSchemaOf, type AnyRule } from './engine/rule.js';
import { EXPECT_RE, type RuleFixtures } from './docs-fixtures.js';

export function mdEscapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function showFixture(text: string, id: string): string {
  const lines = text.split('\n').map((l) => {
    const m = EXPECT_RE.exec(l);
    if (!m) return l;
    const ids = m[1]!
      .split(',')
      .map((s) => s.trim().replace(/[(@:].*$/, ''))
      .filter((x) => x === id);
    return ids.length ? l.replace(EXPECT_RE, `# ← ${id}`) : l.replace(EXPECT_RE, '').replace(/\s+$/, '');
  });
  const kept = lines.length > 120 ? [...lines.slice(0, 120), '# …'] : lines;
  return kept.join('\n').replace(/\n+$/, '');
}

function optionsTable(rule: AnyRule): string {
  const schema = optionsSchemaOf(rule.meta) as
    | { properties?: Record<string, { type?: string | string[]; description?: string }> }
    | undefined;
  const props = schema?.properties;
  if (!props || Object.keys(props).length === 0) return 'This rule has no options.\n';
  const defaults = rule.meta.defaultOptions as Record<string, unknown>;
  const rows = Object.entries(props).map(
    ([k, v]) =>
      `| \`${k}\` | ${Array.isArray(v.type) ? v.type.join(' \\| ') : (v.type ?? '')} | \`${mdEscapeCell(JSON.stringify(defaults[k]))}\` | ${mdEscapeCell(v.description ?? '')} |`,
  );
  return (
    ['| Option | Type | Default | Description |', '| --- | --- | --- | --- |', ...rows, ''].join('\n') +
    `\nSet options in \`.k8s-gold.yaml\`:\n\n\`\`\`yaml\nrules:\n  ${rule.meta.id}:\n    severity: ${rule.meta.severity}\n    options:\n${Object.keys(
      props,
    )
      .slice(0, 1)
      .map((k) => `      ${k}: ${JSON.stringify(defaults[k])}`)
      .join('\n')}\n\`\`\`\n`
  );
}

/** The Markdown page of a rule. Deterministic: the same metadata and fixtures give the same bytes. */
export function ruleMarkdown(rule: AnyRule, fixtures: RuleFixtures = { valid: [], invalid: [] }): string {
  const m = rule.meta;
  const out: string[] = [];
  out.push(`# ${m.id}`);
  out.push('');
  out.push(`> ${m.description}`);
  out.push('');
  out.push(`- **Default severity:** ${m.severity}`);
  out.push(`- **Category:** ${m.category}`);
  if (m.tags.length) out.push(`- **Tags:** ${m.tags.map((t) => `\`${t}\``).join(', ')}`);
  const applies = m.appliesTo ?? m.kinds;
  if (applies) out.push(`- **Applies to:** ${applies.join(', ')}`);
  if (!m.engine) out.push(`- **Presets:** ${[...(m.presets ?? ['recommended']), 'all'].map((p) => `\`${p}\``).join(', ')}`);
  const eq = Object.entries(m.equivalents ?? {}).filter(([, ids]) => ids && ids.length);
  if (m.fixable || m.hasSuggestions) {
    const how = [
      m.fixable ? 'safe fixes that `--fix` applies' : '',
      m.hasSuggestions ? 'suggestions (edits you choose, in editors through `k8s-gold lsp`, and in `json` and `sarif` output)' : '',
    ]
      .filter(Boolean)
      .join('; ');
    out.push(`- **Fixes:** ${how}`);
  }
  if (eq.length)
    out.push(`- **Equivalent checks:** ${eq.map(([tool, ids]) => `${tool} ${ids!.map((i) => `\`${i}\``).join(', ')}`).join('; ')}`);
  out.push('');
  out.push('## Why it matters');
  out.push('');
  out.push(m.rationale);
  out.push('');
  if (fixtures.readme) {
    out.push(fixtures.readme['Why it matters']);
    out.push('');
  }
  out.push('## How to fix');
  out.push('');
  out.push(m.remediation);
  out.push('');
  if (fixtures.readme) {
    out.push(fixtures.readme['How to fix']);
    out.push('');
  }
  if (fixtures.examples) {
    // the rule's examples/ files, which the tests lint: before fires the rule, after does not
    out.push('## Example');
    out.push('');
    out.push('Before:');
    out.push('');
    out.push('```yaml\n' + fixtures.examples.before.replace(/\n+$/, '') + '\n```');
    out.push('');
    out.push('After:');
    out.push('');
    out.push('```yaml\n' + fixtures.examples.after.replace(/\n+$/, '') + '\n```');
    out.push('');
  } else if (m.example) {
    out.push('## Example');
    out.push('');
    out.push('Before:');
    out.push('');
    out.push('```yaml\n' + m.example.before.replace(/\n+$/, '') + '\n```');
    out.push('');
    out.push('After:');
    out.push('');
    out.push('```yaml\n' + m.example.after.replace(/\n+$/, '') + '\n```');
    out.push('');
  }
  if (fixtures.invalid.length) {
    out.push('## Incorrect');
    out.push('');
    out.push(`Each \`# ← ${m.id}\` marks a line where the rule reports (from the rule's test fixtures).`);
    out.push('');
    for (const f of fixtures.invalid) {
      out.push('```yaml\n' + showFixture(f.text, m.id) + '\n```');
      out.push('');
    }
  }
  if (fixtures.valid.length) {
    out.push('## Correct');
    out.push('');
    for (const f of fixtures.valid) {
      out.push('```yaml\n' + showFixture(f.text, m.id) + '\n```');
      out.push('');
    }
  }
  const messages = Object.entries(m.messages ?? {});
  if (messages.length) {
    out.push('## Messages');
    out.push('');
    out.push(
      'The message ids a finding can carry (fixture markers name them: `# expect: ' +
        m.id +
        '(<id>)`); `{{name}}` is filled in per finding.',
    );
    out.push('');
    out.push('| Id | Severity | Message |');
    out.push('| --- | --- | --- |');
    for (const [id, spec] of messages)
      out.push(`| \`${id}\` | ${messageSeverity(spec) ?? m.severity} | ${mdEscapeCell(messageText(spec))} |`);
    out.push('');
  }
  out.push('## Options');
  out.push('');
  out.push(optionsTable(rule));
  out.push('## Suppressing');
  out.push('');
  out.push('With a reason, on the object or on the line:');
  out.push('');
  out.push('```yaml\nmetadata:\n  annotations:\n    ignore.k8s-gold.dev/' + m.id + ': "<why this is acceptable here>"\n```');
  out.push('');
  out.push('```yaml\n# k8s-gold-ignore ' + m.id + ' -- <why this is acceptable here>\n```');
  out.push('');
  out.push(`Or turn it off in \`.k8s-gold.yaml\`: \`rules: { ${m.id}: off }\`.`);
  out.push('');
  return out.join('\n');
}
