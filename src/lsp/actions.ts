// The language server's code actions (fixes, suggestions, fix all) and hovers, answered from the findings kept per document.
import type * as LS from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../engine/finding.js';
import { RuleRegistry } from '../engine/registry.js';
import { helpUri } from '../engine/rule.js';
import { applyFixes } from '../fix/apply.js';

/** Findings kept per document, to answer code actions and hovers. */
export interface DocState {
  version: number;
  findings: Finding[];
  diagnostics: LS.Diagnostic[];
  /** offset shift: a byte-order mark the engine does not count */
  bom: number;
}

let builtins: RuleRegistry | undefined;
export function builtinRule(id: string) {
  return (builtins ??= new RuleRegistry()).get(id);
}

/** Answers code actions and hovers on `connection` for the documents linted into `states`. */
export function registerActions(
  ls: typeof import('vscode-languageserver/node'),
  connection: LS.Connection,
  documents: LS.TextDocuments<TextDocument>,
  states: Map<string, DocState>,
): void {
  const sameRange = (a: LS.Range, b: LS.Range): boolean =>
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character;
  const edit = (doc: TextDocument, st: DocState, f: { range: [number, number]; text: string }): LS.TextEdit => ({
    range: { start: doc.positionAt(f.range[0] + st.bom), end: doc.positionAt(f.range[1] + st.bom) },
    newText: f.text,
  });

  connection.onCodeAction((params) => {
    const doc = documents.get(params.textDocument.uri);
    const st = states.get(params.textDocument.uri);
    if (!doc || !st || st.version !== doc.version) return [];
    const actions: LS.CodeAction[] = [];
    const only = params.context.only;
    const wants = (kind: string): boolean => !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
    if (wants(ls.CodeActionKind.QuickFix)) {
      for (const d of params.context.diagnostics) {
        if (d.source !== 'k8s-gold') continue;
        const i = st.diagnostics.findIndex((x) => x.code === d.code && x.message === d.message && sameRange(x.range, d.range));
        const m = i >= 0 ? st.findings[i] : undefined;
        if (!m) continue;
        if (m.fix)
          actions.push({
            title: `Fix: ${m.ruleId}`,
            kind: ls.CodeActionKind.QuickFix,
            isPreferred: true,
            diagnostics: [d],
            edit: { changes: { [doc.uri]: [edit(doc, st, m.fix)] } },
          });
        for (const s of m.suggestions ?? [])
          actions.push({
            title: s.desc,
            kind: ls.CodeActionKind.QuickFix,
            diagnostics: [d],
            edit: { changes: { [doc.uri]: [edit(doc, st, s.fix)] } },
          });
      }
    }
    if (wants(ls.CodeActionKind.SourceFixAll)) {
      const { applied } = applyFixes(doc.getText().slice(st.bom), st.findings);
      if (applied.length)
        actions.push({
          title: 'Fix all k8s-gold problems',
          kind: ls.CodeActionKind.SourceFixAll,
          edit: { changes: { [doc.uri]: applied.map((m) => edit(doc, st, m.fix!)) } },
        });
    }
    return actions;
  });

  connection.onHover((params) => {
    const doc = documents.get(params.textDocument.uri);
    const st = states.get(params.textDocument.uri);
    if (!doc || !st) return null;
    const p = params.position;
    const inside = (r: LS.Range): boolean =>
      (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) &&
      (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));
    const hits = st.diagnostics.map((d, i) => ({ d, m: st.findings[i] })).filter((x) => x.m && inside(x.d.range));
    if (hits.length === 0) return null;
    const parts = hits.map(({ m }) => {
      const rule = builtinRule(m!.ruleId);
      if (!rule) return `**${m!.ruleId}** (${m!.severity}): ${m!.message}`;
      const meta = rule.meta;
      return [
        `**${meta.id}** (${m!.severity}): ${m!.message}`,
        '',
        meta.description,
        '',
        `**Why:** ${meta.rationale}`,
        '',
        `**Fix:** ${meta.remediation}`,
        '',
        `[${meta.id} documentation](${helpUri(meta)})`,
      ].join('\n');
    });
    return { contents: { kind: ls.MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, range: hits[0]!.d.range };
  });
}
