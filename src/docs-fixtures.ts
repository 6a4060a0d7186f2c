/** A rule's folder as the docs read it: its fixtures with their `# expect:` markers, and its README's two sections. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PACKAGE_ROOT } from './util/layout.js';

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
  if (titles.join('\n') !== README_SECTIONS.join('\n'))
    problems.push(
      `sections must be exactly ${README_SECTIONS.map((s) => `"## ${s}"`).join(', ')} (found ${titles.map((t) => `"${t}"`).join(', ') || 'none'})`,
    );
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
  if (fs.existsSync(before) && fs.existsSync(after))
    out.examples = { before: fs.readFileSync(before, 'utf8'), after: fs.readFileSync(after, 'utf8') };
  for (const name of fs.readdirSync(dir).sort()) {
    if (!/\.(ya?ml|json)$/.test(name)) continue;
    const kind = name.startsWith('invalid') ? 'invalid' : name.startsWith('valid') ? 'valid' : undefined;
    if (!kind) continue;
    out[kind].push({ name, text: fs.readFileSync(path.join(dir, name), 'utf8') });
  }
  return out;
}
