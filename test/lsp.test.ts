/**
 * `k8s-gold lsp` driven over stdio by a real LSP client (the
 * vscode-languageserver-protocol connection, JSON-RPC with Content-Length
 * framing): open a file, get diagnostics at the right ranges, apply a code
 * action, see the diagnostic go; hover; the workspace config; cross-object
 * checks against the workspace and other open documents.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  FileChangeType,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ROOT, writeTree } from './helpers';

interface Session {
  conn: ProtocolConnection;
  proc: ChildProcessWithoutNullStreams;
  /** the next diagnostics published for a URI (optionally for a version) */
  diagnostics(uri: string, version?: number): Promise<Diagnostic[]>;
  open(file: string, text: string): { uri: string; doc: TextDocument };
  close(): Promise<void>;
}

async function start(root: string): Promise<Session> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'bin', 'k8s-gold.js'), 'lsp', '--stdio'], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const conn = createProtocolConnection(proc.stdout, proc.stdin);
  const waiting: { uri: string; version?: number; resolve: (d: Diagnostic[]) => void }[] = [];
  conn.onNotification(PublishDiagnosticsNotification.type, (p: PublishDiagnosticsParams) => {
    const i = waiting.findIndex((w) => w.uri === p.uri && (w.version === undefined || w.version === p.version));
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(p.diagnostics);
  });
  conn.listen();
  await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }],
    capabilities: {},
  });
  await conn.sendNotification(InitializedNotification.type, {});
  return {
    conn,
    proc,
    diagnostics: (uri, version) => new Promise((resolve) => waiting.push({ uri, version, resolve })),
    open(file, text) {
      const uri = pathToFileURL(path.join(root, file)).href;
      void conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      return { uri, doc: TextDocument.create(uri, 'yaml', 1, text) };
    },
    async close() {
      await conn.sendRequest(ShutdownRequest.type);
      await conn.sendNotification(ExitNotification.type);
      await new Promise((r) => proc.once('exit', r));
      conn.dispose();
    },
  };
}

const POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: web',
  '  labels: {country: NO}',
  'spec:',
  '  containers:',
  '    - name: web',
  '      image: nginx:1.27',
  '',
].join('\n');
const CONFIG =
  'rules:\n  ambiguous-yaml-value: error\n  privilege-escalation: off\n  resource-requests-limits: off\n  missing-probes: off\n  read-only-root-filesystem: off\n  run-as-high-uid: off\n  default-namespace: off\n  drop-net-raw: off\n  image-pull-policy: off\n  default-service-account: off\n  schema: off\n';

describe('k8s-gold lsp', () => {
  let s: Session;
  let dir: string;
  beforeAll(async () => {
    dir = writeTree({ '.k8s-gold.yaml': CONFIG, 'pod.yaml': POD, '.git/HEAD': 'ref: refs/heads/main\n' });
    s = await start(dir);
  });
  afterAll(async () => {
    await s.close();
  });

  test('diagnostics on open at the exact range, severity from the workspace config; a quick fix removes it', async () => {
    const pending = s.diagnostics(pathToFileURL(path.join(dir, 'pod.yaml')).href, 1);
    const { uri, doc } = s.open('pod.yaml', POD);
    const diags = await pending;
    expect(diags.map((d) => [d.code, d.severity, d.range])).toEqual([
      ['ambiguous-yaml-value', 1, { start: { line: 4, character: 20 }, end: { line: 4, character: 22 } }],
    ]);
    const d = diags[0]!;
    expect(doc.getText(d.range)).toBe('NO');
    expect(d.codeDescription?.href).toMatch(/ambiguous-yaml-value\.md$/);

    const actions = (await s.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    })) as { title: string; isPreferred?: boolean; edit?: { changes?: Record<string, TextEdit[]> } }[];
    const fix = actions.find((a) => a.isPreferred)!;
    expect(fix.title).toBe('Fix: ambiguous-yaml-value');
    const edits = fix.edit!.changes![uri]!;
    expect(edits).toEqual([{ range: d.range, newText: '"NO"' }]);
    const fixed = TextDocument.applyEdits(doc, edits);
    expect(fixed).toBe(POD.replace('{country: NO}', '{country: "NO"}'));

    // the client applies it: the next diagnostics for version 2 no longer have the finding
    const after = s.diagnostics(uri, 2);
    await s.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: d.range, text: '"NO"' }],
    });
    expect(await after).toEqual([]);
  });

  test('hover explains the rule', async () => {
    const text = POD.replace('name: web\n  labels', 'name: web2\n  labels');
    const pending = s.diagnostics(pathToFileURL(path.join(dir, 'hover.yaml')).href);
    const { uri } = s.open('hover.yaml', text);
    const [d] = await pending;
    const hover = (await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: d!.range.start })) as {
      contents: { kind: string; value: string };
    };
    expect(hover.contents.kind).toBe('markdown');
    expect(hover.contents.value).toMatch(/^\*\*ambiguous-yaml-value\*\* \(error\): value NO is read by Kubernetes/);
    expect(hover.contents.value).toContain('**Why:** kubectl and the API server read YAML with go-yaml v2');
    const nothing = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } });
    expect(nothing).toBeNull();
  });

  test('cross-object checks see the workspace and the unsaved text of other open documents', async () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector: {app: api}\n  ports: [{port: 80}]\n';
    fs.mkdirSync(path.join(dir, 'svc'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'svc', 'deploy.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: api, image: "api:1.0"}]\n',
    );
    const uri = pathToFileURL(path.join(dir, 'svc', 'svc.yaml')).href;
    const first = s.diagnostics(uri);
    s.open('svc/svc.yaml', svc);
    expect((await first).map((d) => d.code)).not.toContain('service-selector');
    // the Deployment, opened and relabelled without saving: the Service selects nothing
    const second = s.diagnostics(uri, 2);
    s.open(
      'svc/deploy.yaml',
      fs.readFileSync(path.join(dir, 'svc', 'deploy.yaml'), 'utf8').replace(/app: api\}\}\n    spec/, 'app: other}}\n    spec'),
    );
    await s.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: svc }],
    });
    expect((await second).map((d) => d.code)).toContain('service-selector');
  });

  test('a changed .k8s-gold.yaml re-lints the open documents with the new config', async () => {
    const uri = pathToFileURL(path.join(dir, 'cfg.yaml')).href;
    const first = s.diagnostics(uri);
    s.open('cfg.yaml', POD.replace('name: web\n  labels', 'name: cfg\n  labels'));
    expect((await first).map((d) => d.code)).toEqual(['ambiguous-yaml-value']);
    fs.writeFileSync(path.join(dir, '.k8s-gold.yaml'), CONFIG.replace('ambiguous-yaml-value: error', 'ambiguous-yaml-value: off'));
    const second = s.diagnostics(uri);
    await s.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(path.join(dir, '.k8s-gold.yaml')).href, type: FileChangeType.Changed }],
    });
    expect(await second).toEqual([]);
  });

  test('an invalid config is a diagnostic, not a crash', async () => {
    fs.mkdirSync(path.join(dir, 'bad'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'bad', '.k8s-gold.yaml'), 'rules:\n  no-such-rule: error\n');
    const uri = pathToFileURL(path.join(dir, 'bad', 'p.yaml')).href;
    const d = s.diagnostics(uri);
    s.open('bad/p.yaml', POD);
    const diags = await d;
    expect(diags.length).toBe(1);
    expect(diags[0]!.message).toMatch(/no-such-rule/);
  });

  test('source.fixAll applies every safe fix of the document at once', async () => {
    const text = POD.replace('name: web\n  labels: {country: NO}', 'name: all\n  labels: {country: NO, lang: no}');
    // the config as it was before the previous test
    fs.writeFileSync(path.join(dir, '.k8s-gold.yaml'), CONFIG);
    await s.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(path.join(dir, '.k8s-gold.yaml')).href, type: FileChangeType.Changed }],
    });
    const uri = pathToFileURL(path.join(dir, 'all.yaml')).href;
    const first = s.diagnostics(uri);
    const { doc } = s.open('all.yaml', text);
    const diags = await first;
    expect(diags.map((d) => d.code)).toEqual(['ambiguous-yaml-value', 'ambiguous-yaml-value']);
    const actions = (await s.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as { title: string; kind: string; edit: { changes: Record<string, TextEdit[]> } }[];
    expect(actions.map((a) => [a.title, a.kind])).toEqual([['Fix all k8s-gold problems', 'source.fixAll']]);
    expect(TextDocument.applyEdits(doc, actions[0]!.edit.changes[uri]!)).toBe(
      text.replace('{country: NO, lang: no}', '{country: "NO", lang: "no"}'),
    );
  });

  test('Helm chart templates and JSON that is no manifest get no diagnostics', async () => {
    fs.mkdirSync(path.join(dir, 'chart', 'templates'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 0.1.0\n');
    const tpl = pathToFileURL(path.join(dir, 'chart', 'templates', 'd.yaml')).href;
    const a = s.diagnostics(tpl);
    s.open('chart/templates/d.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n');
    expect(await a).toEqual([]);
    const ts = pathToFileURL(path.join(dir, 'tsconfig.json')).href;
    const b = s.diagnostics(ts);
    s.open('tsconfig.json', '{\n  // comment\n  "compilerOptions": {}\n}\n');
    expect(await b).toEqual([]);
  });
});
