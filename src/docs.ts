/**
 * Rule documentation, generated from rule metadata and fixtures: the
 * `rules` listing, `explain`, and docs/rules/<id>.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuleRegistry } from './engine/registry.js';
import { PACKAGE_ROOT } from './util/layout.js';
import { helpUri, messageSeverity, messageText, optionsSchemaOf, type AnyRule } from './engine/rule.js';

export const EXPECT_RE = /#\s*expect:\s*(.+)$/;

export interface Fixture {
  name: string;
  text: string;
}

export interface RuleFixtures {
  valid: Fixture[];
  invalid: Fixture[];
  /** rules/<id>/README.md: longer prose, merged into the generated page */
  readme?: RuleReadme;
  /** rules/<id>/examples/before.yaml and after.yaml, linted by the tests */
  examples?: { before: string; after: string };
}

/** The fixed sections of a rule's README.md, each added to the page section of the same name. */
export const README_SECTIONS = ['Why it matters', 'How to fix'] as const;
export type RuleReadme = Record<(typeof README_SECTIONS)[number], string>;

/**
 * Parses a rule README: a `# <rule-id>` title, then exactly the sections of README_SECTIONS,
 * in that order, each non-empty. Returns the problems instead when it does not hold.
 */
export function parseReadme(text: string, id: string): { readme: RuleReadme } | { problems: string[] } {
  const problems: string[] = [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines[0] !== `# ${id}`) problems.push(`the first line must be "# ${id}"`);
  const sections: { title: string; body: string[] }[] = [];
  let inFence = false;
  for (const l of lines.slice(1)) {
    if (/^```/.test(l)) inFence = !inFence;
    const h = inFence ? null : /^(#{1,2}) (.*)$/.exec(l);
    if (h) {
      if (h[1] === '#') problems.push(`only one title: "${l}"`);
      else sections.push({ title: h[2]!.trim(), body: [] });
    } else if (sections.length) sections[sections.length - 1]!.body.push(l);
    else if (l.trim() !== '') problems.push(`text before the first section: "${l}"`);
  }
  const titles = sections.map((s) => s.title);
  if (titles.join('\n') !== README_SECTIONS.join('\n')) problems.push(`sections must be exactly ${README_SECTIONS.map((s) => `"## ${s}"`).join(', ')} (found ${titles.map((t) => `"${t}"`).join(', ') || 'none'})`);
  const readme = {} as RuleReadme;
  for (const s of sections) {
    const body = s.body.join('\n').trim();
    if (body === '') problems.push(`section "${s.title}" is empty`);
    if ((README_SECTIONS as readonly string[]).includes(s.title)) readme[s.title as keyof RuleReadme] = body;
  }
  return problems.length ? { problems } : { readme };
}

/** rules/<id>/ in the source tree (a checkout; the npm package has no fixtures). */
export function ruleDir(id: string): string | undefined {
  const c = path.join(PACKAGE_ROOT, 'rules', id);
  return fs.existsSync(path.join(c, 'valid.yaml')) || fs.existsSync(path.join(c, 'invalid.yaml')) ? c : undefined;
}

export function readFixtures(dir: string): RuleFixtures {
  const out: RuleFixtures = { valid: [], invalid: [] };
  if (!fs.existsSync(dir)) return out;
  const readmeFile = path.join(dir, 'README.md');
  if (fs.existsSync(readmeFile)) {
    const parsed = parseReadme(fs.readFileSync(readmeFile, 'utf8'), path.basename(dir));
    if ('problems' in parsed) throw new Error(`${readmeFile}: ${parsed.problems.join('; ')}`);
    out.readme = parsed.readme;
  }
  const before = path.join(dir, 'examples', 'before.yaml');
  const after = path.join(dir, 'examples', 'after.yaml');
  if (fs.existsSync(before) && fs.existsSync(after)) out.examples = { before: fs.readFileSync(before, 'utf8'), after: fs.readFileSync(after, 'utf8') };
  for (const name of fs.readdirSync(dir).sort()) {
    if (!/\.(ya?ml|json)$/.test(name)) continue;
    const kind = name.startsWith('invalid') ? 'invalid' : name.startsWith('valid') ? 'valid' : undefined;
    if (!kind) continue;
    out[kind].push({ name, text: fs.readFileSync(path.join(dir, name), 'utf8') });
  }
  return out;
}

function mdEscapeCell(s: string): string {
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
  const schema = optionsSchemaOf(rule.meta) as { properties?: Record<string, { type?: string | string[]; description?: string }> } | undefined;
  const props = schema?.properties;
  if (!props || Object.keys(props).length === 0) return 'This rule has no options.\n';
  const defaults = rule.meta.defaultOptions as Record<string, unknown>;
  const rows = Object.entries(props).map(
    ([k, v]) => `| \`${k}\` | ${Array.isArray(v.type) ? v.type.join(' \\| ') : (v.type ?? '')} | \`${mdEscapeCell(JSON.stringify(defaults[k]))}\` | ${mdEscapeCell(v.description ?? '')} |`,
  );
  return ['| Option | Type | Default | Description |', '| --- | --- | --- | --- |', ...rows, ''].join('\n') + `\nSet options in \`.k8s-gold.yaml\`:\n\n\`\`\`yaml\nrules:\n  ${rule.meta.id}:\n    severity: ${rule.meta.severity}\n    options:\n${Object.keys(props)
    .slice(0, 1)
    .map((k) => `      ${k}: ${JSON.stringify(defaults[k])}`)
    .join('\n')}\n\`\`\`\n`;
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
    const how = [m.fixable ? 'safe fixes that `--fix` applies' : '', m.hasSuggestions ? 'suggestions (edits you choose, in editors through `k8s-gold lsp`, and in `json` and `sarif` output)' : ''].filter(Boolean).join('; ');
    out.push(`- **Fixes:** ${how}`);
  }
  if (eq.length) out.push(`- **Equivalent checks:** ${eq.map(([tool, ids]) => `${tool} ${ids!.map((i) => `\`${i}\``).join(', ')}`).join('; ')}`);
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
    out.push('The message ids a finding can carry (fixture markers name them: `# expect: ' + m.id + '(<id>)`); `{{name}}` is filled in per finding.');
    out.push('');
    out.push('| Id | Severity | Message |');
    out.push('| --- | --- | --- |');
    for (const [id, spec] of messages) out.push(`| \`${id}\` | ${messageSeverity(spec) ?? m.severity} | ${mdEscapeCell(messageText(spec))} |`);
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

/** Plain-text explanation for the terminal. */
export function explain(rule: AnyRule): string {
  const dir = ruleDir(rule.meta.id);
  const md = ruleMarkdown(rule, dir ? readFixtures(dir) : undefined);
  return md.replace(/\n{3,}/g, '\n\n') + `\nMore: ${helpUri(rule.meta)}\n`;
}

export function listRules(registry: RuleRegistry, format: 'text' | 'json'): string {
  const rules = registry.all();
  if (format === 'json') {
    return (
      JSON.stringify(
        rules.map((r) => ({
          id: r.meta.id,
          severity: r.meta.severity,
          category: r.meta.category,
          description: r.meta.description,
          tags: r.meta.tags,
          presets: r.meta.engine ? ['(always on)'] : [...(r.meta.presets ?? ['recommended']), 'all'],
          equivalents: r.meta.equivalents ?? {},
          helpUri: helpUri(r.meta),
        })),
        null,
        2,
      ) + '\n'
    );
  }
  const w = Math.max(...rules.map((r) => r.meta.id.length));
  const lines = rules.map((r) => `${r.meta.id.padEnd(w)}  ${r.meta.severity.padEnd(7)}  ${r.meta.description}`);
  return lines.join('\n') + `\n\n${rules.length} rules. "k8s-gold explain <rule-id>" shows one rule's documentation.\n`;
}

/** All generated documentation files: docs/rules/<id>.md and docs/rules/README.md (path → content). */
export function generateDocs(registry: RuleRegistry): Map<string, string> {
  const out = new Map<string, string>();
  const rules = registry.all().filter((r) => !r.meta.id.includes('/'));
  for (const r of rules) {
    const dir = ruleDir(r.meta.id);
    out.set(`${r.meta.id}.md`, ruleMarkdown(r, dir ? readFixtures(dir) : undefined));
  }
  const rows = rules.map((r) => `| [${r.meta.id}](${r.meta.id}.md) | ${r.meta.severity} | ${r.meta.category} | ${mdEscapeCell(r.meta.description)} |`);
  out.set(
    'README.md',
    ['# Rules', '', 'Generated by `npm run docs` from each rule\'s metadata and test fixtures; do not edit by hand.', '', '| Rule | Default severity | Category | Description |', '| --- | --- | --- | --- |', ...rows, ''].join('\n'),
  );
  return out;
}

/** src/data/migration.json: the peers' checks, coverage by rules whose metadata does not name it, and the reasons for deliberate differences. */
export interface MigrationData {
  peers: Record<string, { title: string; url: string; config: string; checks: string[] }>;
  covered: { peer: string; id: string; rule: string }[];
  /** `fixtures`: the peer's own test fixtures on which the verdicts differ for this reason (scripts/peer-agreement.mjs) */
  differences: { peer: string; id: string; reason: string; fixtures?: string[] }[];
  /** agreement with each peer's own test suite, as scripts/peer-agreement.mjs --record measured it */
  measured?: Record<string, MeasuredAgreement>;
}

export interface MeasuredAgreement {
  /** the peer's checks, and those with a k8s-gold rule */
  checks: number;
  mapped: number;
  /** checks the peer's own test suite asserts verdicts for */
  asserted: number;
  /** mapped checks the peer's suite has fixtures for, and the fixture verdicts compared */
  compared: number;
  fixtures: number;
  /** verdicts that agree, and those that differ for a recorded reason */
  agree: number;
  deliberate: number;
  /** compared checks whose verdicts agree (or differ for a recorded reason) on at least 95% of their fixtures */
  checksAt95: number;
  /** the peer's revision the suite was read from */
  revision?: string;
}

export interface MigrationRow {
  check: string;
  rules: AnyRule[];
  difference?: string;
}

/** For each check of a peer, the k8s-gold rules that cover it (from `meta.equivalents` and the data file's `covered`). */
export function migrationRows(registry: RuleRegistry, data: MigrationData, peer: string): MigrationRow[] {
  const p = data.peers[peer];
  if (!p) return [];
  return p.checks.map((check) => {
    const ids = new Set<string>();
    for (const r of registry.all()) if ((r.meta.equivalents as Record<string, readonly string[]> | undefined)?.[peer]?.includes(check)) ids.add(r.meta.id);
    for (const c of data.covered) if (c.peer === peer && c.id === check && registry.has(c.rule)) ids.add(c.rule);
    const rules = [...ids].sort().map((id) => registry.get(id)!);
    const difference = data.differences.find((d) => d.peer === peer && d.id === check)?.reason;
    return { check, rules, difference };
  });
}

/** Inconsistencies between rule metadata and the data file: misspelt peer ids, unknown rules, reasons for checks no rule covers. */
export function migrationProblems(registry: RuleRegistry, data: MigrationData): string[] {
  const out: string[] = [];
  for (const r of registry.all()) {
    for (const [peer, ids] of Object.entries(r.meta.equivalents ?? {})) {
      const known = data.peers[peer]?.checks;
      if (!known) continue; // a peer without a migration page (kubescape)
      for (const id of ids ?? []) if (!known.includes(id)) out.push(`${r.meta.id}: meta.equivalents.${peer} names "${id}", which is not a ${peer} check`);
    }
  }
  for (const c of data.covered) {
    if (!registry.has(c.rule)) out.push(`covered: ${c.peer} ${c.id} → unknown rule "${c.rule}"`);
    if (!data.peers[c.peer]?.checks.includes(c.id)) out.push(`covered: "${c.id}" is not a ${c.peer} check`);
  }
  for (const d of data.differences) {
    const row = migrationRows(registry, data, d.peer).find((x) => x.check === d.id);
    if (!row) out.push(`differences: "${d.id}" is not a ${d.peer} check`);
    else if (row.rules.length === 0) out.push(`differences: ${d.peer} ${d.id} has a reason but no rule covers it`);
  }
  return out;
}

function onByDefault(r: AnyRule): string {
  const presets = r.meta.presets ?? ['recommended'];
  return presets.includes('recommended') ? 'yes' : `no (${[...presets, 'all'].map((p) => `\`${p}\``).join(', ')})`;
}

/** docs/migration/<peer>.md for every peer of the data file, and docs/migration/README.md (name → content). Deterministic. */
export function generateMigrationDocs(registry: RuleRegistry, data: MigrationData): Map<string, string> {
  const out = new Map<string, string>();
  const index: string[] = [];
  for (const [peer, p] of Object.entries(data.peers)) {
    const rows = migrationRows(registry, data, peer);
    const covered = rows.filter((r) => r.rules.length);
    const byDefault = covered.filter((r) => r.rules.some((x) => (x.meta.presets ?? ['recommended']).includes('recommended')));
    const lines: string[] = [];
    lines.push(`# Migrating from ${p.title}`);
    lines.push('');
    lines.push('Generated by `npm run docs` from each rule\'s `meta.equivalents` and `src/data/migration.json`; do not edit by hand.');
    lines.push('');
    lines.push(`${covered.length} of ${p.checks.length} [${p.title}](${p.url}) checks have a k8s-gold rule; ${byDefault.length} of them are on by default (the \`recommended\` preset). ${p.config}`);
    lines.push('');
    lines.push('To run every rule, as the peer runs every check:');
    lines.push('');
    lines.push('```yaml\n# .k8s-gold.yaml\nextends: all\n```');
    lines.push('');
    lines.push('## Check by check');
    lines.push('');
    lines.push(`| ${p.title} check | k8s-gold rule | On by default | Notes |`);
    lines.push('| --- | --- | --- | --- |');
    for (const r of rows) {
      const rules = r.rules.length ? r.rules.map((x) => `[${x.meta.id}](../rules/${x.meta.id}.md)`).join(', ') : '—';
      const on = r.rules.length ? r.rules.map(onByDefault).join(', ') : '';
      const note = r.rules.length ? (r.difference ? 'deliberate difference, see below' : '') : 'not covered yet';
      lines.push(`| \`${mdEscapeCell(r.check)}\` | ${rules} | ${on} | ${note} |`);
    }
    lines.push('');
    const diffs = rows.filter((r) => r.difference && r.rules.length);
    if (diffs.length) {
      lines.push('## Deliberate differences');
      lines.push('');
      for (const r of diffs) {
        const fx = data.differences.find((d) => d.peer === peer && d.id === r.check)?.fixtures ?? [];
        const on = fx.length ? ` Differs on ${fx.length === 1 ? 'this fixture' : `these ${fx.length} fixtures`} of ${p.title}'s own tests: ${fx.map((f) => `\`${mdEscapeCell(f)}\``).join(', ')}.` : '';
        lines.push(`- ${p.title} \`${r.check}\` → k8s-gold ${r.rules.map((x) => `\`${x.meta.id}\``).join(', ')}: ${r.difference}${on}`);
      }
      lines.push('');
    }
    const missing = rows.filter((r) => !r.rules.length);
    if (missing.length) {
      lines.push('## Not covered yet');
      lines.push('');
      lines.push(missing.map((r) => `\`${r.check}\``).join(', ') + '.');
      lines.push('');
    }
    const m = data.measured?.[peer];
    if (m) {
      lines.splice(lines.indexOf('## Check by check'), 0, ...measuredParagraph(p.title, m), '');
    }
    out.set(`${peer}.md`, lines.join('\n'));
    index.push(`| [${p.title}](${peer}.md) | ${covered.length} of ${p.checks.length} | ${byDefault.length} |`);
  }
  const measured: string[] = [];
  for (const [peer, p] of Object.entries(data.peers)) {
    const m = data.measured?.[peer];
    if (!m) continue;
    measured.push(`| [${p.title}](${peer}.md) | ${m.mapped} of ${m.checks} (${pct(m.mapped, m.checks)}) | ${m.compared} of ${m.asserted} | ${m.fixtures} | ${pct(m.agree, m.fixtures)} | ${m.deliberate} | ${pct(m.agree + m.deliberate, m.fixtures)} | ${m.checksAt95} (${pct(m.checksAt95, m.asserted)} of the tested checks) |`);
  }
  const agreement = measured.length
    ? [
        '',
        '## Agreement with the peers\' own test suites',
        '',
        'Measured by `scripts/peer-agreement.mjs` (see its header): every fixture a peer\'s test suite asserts a verdict on (fires / does not fire, per object where the suite names objects) for a check with a k8s-gold rule, linted with only that rule on. A deliberate difference is a verdict that differs for a reason listed on the peer\'s page.',
        '',
        '| Peer | Checks with a rule | Checks with a rule, of those its suite tests | Fixture verdicts | Same verdict | Deliberate differences | Same or deliberate | Checks at ≥ 95% same or deliberate |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |',
        ...measured,
      ]
    : [];
  out.set(
    'README.md',
    ['# Migrating from other linters', '', 'Generated by `npm run docs`; do not edit by hand.', '', '| From | Checks with a k8s-gold rule | On by default |', '| --- | --- | --- |', ...index, ...agreement, ''].join('\n'),
  );
  return out;
}

function pct(n: number, d: number): string {
  return d ? `${(Math.round((1000 * n) / d) / 10).toFixed(1)}%` : '—';
}

function measuredParagraph(title: string, m: MeasuredAgreement): string[] {
  return [
    '## Agreement with ' + title + '\'s own tests',
    '',
    `On the fixtures of ${title}'s own test suite${m.revision ? ` (revision ${m.revision})` : ''}, k8s-gold gives the same verdict on ${m.agree} of ${m.fixtures} (${pct(m.agree, m.fixtures)}) for the ${m.compared} checks with a rule and fixtures; ${m.deliberate} more differ deliberately (below), so ${pct(m.agree + m.deliberate, m.fixtures)} are the same or explained, and ${m.checksAt95} of the ${m.compared} checks are at 95% or more. Measured with \`scripts/peer-agreement.mjs\`.`,
  ];
}
