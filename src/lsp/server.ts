/**
 * `k8s-gold lsp`: a language server over stdio (vscode-languageserver).
 *
 * - Diagnostics for every open YAML/JSON manifest, on open and on change
 *   (debounced), from the same engine and config as the CLI: the nearest
 *   `.k8s-gold.yaml` above the document, re-read when it changes.
 * - Cross-object checks against the workspace: its manifests are the
 *   `--context` index, read once and re-read per file when it changes (size or
 *   mtime), with the unsaved text of other open documents in place of theirs.
 * - Code actions: each finding's fix (preferred) and suggestions, and a
 *   "fix all" source action; hover: the rule's explanation.
 * - Not linted: Helm chart templates (Go templates), JSON without
 *   "apiVersion"/"kind" (package.json, tsconfig.json with comments); files
 *   that hold no Kubernetes object get no note, unlike the CLI.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as LS from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LoadedConfig } from '../config/config.js';
import type { Finding } from '../engine/finding.js';
import type { LoadedFile } from '../engine/linter.js';
import { RuleRegistry } from '../engine/registry.js';
import { helpUri } from '../engine/rule.js';
import { builtinRule, registerActions, type DocState } from './actions.js';

export interface ServerOptions {
  /** milliseconds between the last change and the lint (default 200) */
  debounceMs?: number;
}

const NOT_SHOWN = new Set(['non-manifest-file', 'helm-template']);

export function startServer(
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
  opts: ServerOptions = {},
): void {
  const ls = require('vscode-languageserver/node') as typeof import('vscode-languageserver/node');
  const { TextDocument: TD } = require('vscode-languageserver-textdocument') as typeof import('vscode-languageserver-textdocument');
  const connection = ls.createConnection(new ls.StreamMessageReader(input), new ls.StreamMessageWriter(output));
  const documents = new ls.TextDocuments(TD);
  const debounceMs = opts.debounceMs ?? 200;
  const states = new Map<string, DocState>();
  const timers = new Map<string, NodeJS.Timeout>();
  const configs = new Map<string, LoadedConfig | Error>();
  const contextCache: NonNullable<import('../engine/linter.js').LintOptions['contextCache']> = new Map<
    string,
    { mtimeMs: number; size: number; loaded: LoadedFile }
  >();
  let roots: string[] = [];
  let useContext = true;

  connection.onInitialize((params: LS.InitializeParams): LS.InitializeResult => {
    roots = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
    if (roots.length === 0 && params.rootUri) roots = [fileURLToPath(params.rootUri)];
    const init = (params.initializationOptions ?? {}) as { context?: boolean };
    if (init.context === false) useContext = false;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: ls.TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [ls.CodeActionKind.QuickFix, ls.CodeActionKind.SourceFixAll] },
        hoverProvider: true,
      },
      serverInfo: { name: 'k8s-gold' },
    };
  });

  connection.onInitialized(() => {
    // config files changed outside the editor
    void connection.client
      .register(ls.DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/.k8s-gold.{yaml,yml,json}' }] })
      .catch(() => undefined);
  });

  const isConfigPath = (p: string): boolean => /(^|[\\/])\.k8s-gold\.(ya?ml|json)$/.test(p);

  const configFor = (dir: string): LoadedConfig | Error => {
    let c = configs.get(dir);
    if (!c) {
      const { loadConfig } = require('../config/config.js') as typeof import('../config/config.js');
      try {
        c = loadConfig({ cwd: dir });
      } catch (e) {
        c = e as Error;
      }
      configs.set(dir, c);
    }
    return c;
  };

  const rootOf = (file: string): string =>
    roots.filter((r) => file === r || file.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0] ?? path.dirname(file);

  /** A Go template of a Helm chart: a file under templates/ of a directory with Chart.yaml. */
  const inChartTemplates = (file: string, root: string): boolean => {
    let dir = path.dirname(file);
    let sawTemplates = false;
    for (;;) {
      if (path.basename(dir) === 'templates') sawTemplates = true;
      if (sawTemplates && (fs.existsSync(path.join(dir, 'Chart.yaml')) || fs.existsSync(path.join(path.dirname(dir), 'Chart.yaml'))))
        return true;
      if (dir === root || path.dirname(dir) === dir) return false;
      dir = path.dirname(dir);
    }
  };

  const lintDocument = (doc: TextDocument): void => {
    timers.delete(doc.uri);
    if (!doc.uri.startsWith('file:')) return;
    const file = fileURLToPath(doc.uri);
    if (isConfigPath(file)) return;
    const root = rootOf(file);
    const diagnostics: LS.Diagnostic[] = [];
    const text = doc.getText();
    const bom = text.startsWith('\uFEFF') ? 1 : 0;
    const state: DocState = { version: doc.version, findings: [], diagnostics, bom };
    // JSON that is no manifest (package.json, tsconfig.json with comments) is not ours to judge
    const foreignJson = /\.json$/i.test(file) && !/"(apiVersion|kind)"\s*:/.test(text);
    if (!foreignJson && !inChartTemplates(file, root)) {
      const config = configFor(path.dirname(file));
      if (config instanceof Error) {
        const details = (config as Error & { details?: string[] }).details ?? [];
        diagnostics.push({
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: ls.DiagnosticSeverity.Error,
          source: 'k8s-gold',
          message: [config.message, ...details].join('\n'),
        });
      } else {
        try {
          state.findings = lintText(file, text, root, config);
        } catch (e) {
          diagnostics.push({
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
            severity: ls.DiagnosticSeverity.Error,
            source: 'k8s-gold',
            message: `k8s-gold: ${(e as Error).message}`,
          });
        }
        for (const f of state.findings) diagnostics.push(toDiagnostic(f));
      }
    }
    states.set(doc.uri, state);
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };

  const lintText = (file: string, text: string, root: string, config: LoadedConfig): Finding[] => {
    const { lintFindings } = require('../engine/linter.js') as typeof import('../engine/linter.js');
    const { registerExtensions } = require('../policy/extensions.js') as typeof import('../policy/extensions.js');
    const registry = new RuleRegistry();
    registerExtensions(registry, config, root);
    // the unsaved text of the other open documents, for cross-object checks
    const overrides = new Map<string, string>();
    for (const d of documents.all())
      if (d.uri.startsWith('file:') && d.uri !== pathToFileURL(file).href) overrides.set(fileURLToPath(d.uri), d.getText());
    const run = lintFindings({
      cwd: root,
      inputs: ['-'],
      stdin: { text, filename: path.relative(root, file) || path.basename(file) },
      context: useContext ? [root] : [],
      config,
      registry,
      overrides,
      contextCache,
    });
    return run.results.flatMap((r) => r.findings).filter((f) => !NOT_SHOWN.has(f.ruleId));
  };

  const toDiagnostic = (m: Finding): LS.Diagnostic => {
    const rule = builtinRule(m.ruleId);
    const r = m.range;
    const d: LS.Diagnostic = {
      range: { start: { line: r.line - 1, character: r.column - 1 }, end: { line: r.endLine - 1, character: r.endColumn - 1 } },
      severity:
        m.severity === 'error'
          ? ls.DiagnosticSeverity.Error
          : m.severity === 'warning'
            ? ls.DiagnosticSeverity.Warning
            : ls.DiagnosticSeverity.Information,
      source: 'k8s-gold',
      code: m.ruleId,
      message: m.message,
    };
    if (rule) d.codeDescription = { href: helpUri(rule.meta) };
    return d;
  };

  const schedule = (doc: TextDocument, delay: number): void => {
    const t = timers.get(doc.uri);
    if (t) clearTimeout(t);
    timers.set(
      doc.uri,
      setTimeout(() => {
        const current = documents.get(doc.uri);
        if (current) lintDocument(current);
      }, delay),
    );
  };

  const relintAll = (): void => {
    configs.clear();
    contextCache.clear();
    for (const d of documents.all()) schedule(d, 0);
  };

  documents.onDidOpen((e) => schedule(e.document, 0));
  documents.onDidChangeContent((e) => {
    if (e.document.uri.startsWith('file:') && isConfigPath(fileURLToPath(e.document.uri))) return;
    schedule(e.document, debounceMs);
  });
  documents.onDidSave((e) => {
    if (e.document.uri.startsWith('file:') && isConfigPath(fileURLToPath(e.document.uri))) relintAll();
  });
  documents.onDidClose((e) => {
    const t = timers.get(e.document.uri);
    if (t) clearTimeout(t);
    timers.delete(e.document.uri);
    states.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  connection.onDidChangeWatchedFiles((p) => {
    if (p.changes.some((c) => isConfigPath(c.uri))) relintAll();
  });

  registerActions(ls, connection, documents, states);

  documents.listen(connection);
  connection.listen();
}
