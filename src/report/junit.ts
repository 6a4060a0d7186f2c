/**
 * JUnit XML, as GitLab, Jenkins and Azure DevOps read it (the structure of
 * Jenkins' junit-10.xsd): one <testsuite> per file, one <testcase> per object
 * and rule with findings (name `Kind/namespace/name rule-id`, classname the
 * file), one <failure> per error or warning finding, an <error> for a file
 * that could not be linted (syntax, unreadable), and info findings as
 * <system-out> of their testcase (they never fail a run, so they never fail a
 * test). A file without findings gets one passing testcase. Suppressed
 * findings are left out. Deterministic: no timestamps, every time is 0.
 */
import type { FileFindings, Finding } from '../engine/finding.js';
import type { FormatContext } from './types.js';

/** A character that xmlEscape replaces or escapes (or a surrogate, which it may replace). */
const XML_SPECIAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f&<>"'\ud800-\udfff\ufffe\uffff]/;

/** XML 1.0 text: escaped, without the characters XML cannot hold. */
export function xmlEscape(s: string): string {
  // most texts need nothing (the test is one pass; the replacements below are six)
  if (!XML_SPECIAL.test(s)) return s;
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attrs(a: Record<string, string | number>): string {
  return Object.entries(a)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
}

interface Case {
  name: string;
  messages: Finding[];
}

function objectName(m: Finding): string {
  const o = m.object;
  if (!o) return '';
  return `${o.kind}/${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

function where(file: string, m: Finding): string {
  return `${file}:${m.range.line}:${m.range.column}`;
}

export function junit(files: FileFindings[], ctx: FormatContext): string {
  const pieces: string[] = [];
  writeJunit(files, ctx, (s) => pieces.push(s));
  return pieces.join('');
}

/** A file's testcases: its findings by object, document and rule. */
function casesOf(r: FileFindings): Map<string, Case> {
  const cases = new Map<string, Case>();
  for (const m of r.findings) {
    const obj = objectName(m);
    const key = `${obj}\u0000${m.object?.document ?? ''}\u0000${m.ruleId}`;
    let c = cases.get(key);
    if (!c) cases.set(key, (c = { name: obj ? `${obj} ${m.ruleId}` : m.ruleId, messages: [] }));
    c.messages.push(m);
  }
  return cases;
}

/** Whether a testcase is an error (a finding not linted, or an internal error) or else a failure (an error or warning finding). */
function caseOutcome(c: Case): { errored: boolean; failed: boolean } {
  let errored = false;
  let failed = false;
  for (const m of c.messages) {
    if (m.kind !== 'rule') errored = true;
    else if (m.severity !== 'info') failed = true;
  }
  return { errored, failed };
}

/**
 * The XML written a file's testsuite at a time (the same bytes as `junit()`), never whole in memory: the
 * totals the root element carries are counted first, in a pass that makes no text.
 */
export function writeJunit(files: FileFindings[], _ctx: FormatContext, write: (s: string) => void): void {
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const r of files) {
    const cases = casesOf(r);
    tests += Math.max(cases.size, 1);
    for (const c of cases.values()) {
      const { errored, failed } = caseOutcome(c);
      if (errored) errors++;
      else if (failed) failures++;
    }
  }
  write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({ name: 'k8s-gold', tests, failures, errors, time: 0 })}>\n`);
  for (const r of files) {
    const cases = casesOf(r);
    const body: string[] = [];
    let sFailures = 0;
    let sErrors = 0;
    for (const c of cases.values()) {
      const inner: string[] = [];
      const out: string[] = [];
      for (const m of c.messages) {
        const text = `${where(r.filePath, m)}: ${m.severity}: ${m.message} (${m.ruleId})`;
        // a file or document not linted, or an internal error
        if (m.kind !== 'rule') inner.push(`      <error${attrs({ message: m.message, type: m.ruleId })}>${xmlEscape(text)}</error>`);
        else if (m.severity === 'info') out.push(text);
        else inner.push(`      <failure${attrs({ message: m.message, type: m.severity })}>${xmlEscape(text)}</failure>`);
      }
      if (out.length) inner.push(`      <system-out>${xmlEscape(out.join('\n'))}</system-out>`);
      const { errored, failed } = caseOutcome(c);
      if (errored) sErrors++;
      else if (failed) sFailures++;
      body.push(
        `    <testcase${attrs({ name: c.name, classname: r.filePath, time: 0 })}${inner.length ? `>\n${inner.join('\n')}\n    </testcase>` : ' />'}`,
      );
    }
    if (cases.size === 0) {
      const why = r.skipped ? `not linted (${r.skipped})` : 'no findings';
      body.push(`    <testcase${attrs({ name: why, classname: r.filePath, time: 0 })} />`);
    }
    const n = Math.max(cases.size, 1);
    write(
      `  <testsuite${attrs({ name: r.filePath, tests: n, failures: sFailures, errors: sErrors, skipped: 0, time: 0, file: r.filePath })}>\n${body.join('\n')}\n  </testsuite>\n`,
    );
  }
  write('</testsuites>\n');
}
