/**
 * The engine rules (load, suppression and render stages: no check of their own) report as every rule does:
 * by a messageId of their meta.messages, with data. Each finding's id and text are pinned here.
 */
import * as path from 'node:path';
import { lint } from '../src/engine/linter';
import { RuleRegistry } from '../src/engine/registry';
import { messageIdOf, type LintMessage } from '../src/engine/result';
import { ruleMessage } from '../src/engine/rule';
import { lintPaths, writeTree } from './helpers';

const ENGINE_RULES = [
  'yaml-syntax',
  'invalid-object',
  'non-manifest-file',
  'unreadable-file',
  'suppression-reason',
  'unused-suppression',
  'helm-render',
  'kustomize-render',
  'kustomize-patch',
];

function found(run: ReturnType<typeof lintPaths>, file: string): [string, string | undefined, string][] {
  const r = run.results.find((x) => x.filePath === file);
  return (r?.messages ?? []).map((m: LintMessage) => [m.ruleId, messageIdOf(m), m.message]);
}

test('every engine rule declares its messages', () => {
  const registry = new RuleRegistry();
  for (const id of ENGINE_RULES) {
    const meta = registry.get(id)!.meta;
    expect([id, meta.engine, Object.keys(meta.messages ?? {}).length > 0]).toEqual([id, true, true]);
  }
});

test('an undeclared message id is a bug, not a silent empty message', () => {
  expect(() => ruleMessage(new RuleRegistry().get('yaml-syntax')!, 'nope')).toThrow('rule yaml-syntax has no message "nope"');
});

test('load-stage findings carry their message ids', () => {
  const dir = writeTree({
    'bad.yaml': 'kind: ConfigMap\na: [1\n',
    'grafana.yaml': 'apiVersion: 1\ndatasources: []\n',
    'ksm.yaml': 'kind: CustomResourceStateMetrics\nspec:\n  resources: []\n',
    'noapi.yaml': 'kind: ConfigMap\nmetadata: {name: a}\ndata: {a: b}\n',
    'scalar.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n"just text"\n',
    'list.yaml': 'apiVersion: v1\nkind: List\nitems:\n  - 7\n  - metadata: {name: x}\n',
    'bin.yaml': Buffer.from([0x61, 0x3a, 0x00]),
    'latin1.yaml': Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]),
  });
  const run = lintPaths([dir], { cwd: dir, rules: { 'non-manifest-file': 'info' } });
  expect(found(run, 'bad.yaml').map(([r, id]) => [r, id])).toEqual([['yaml-syntax', 'syntax']]);
  expect(found(run, 'grafana.yaml')).toEqual([
    [
      'non-manifest-file',
      'notManifest',
      "no document in this file has a kind with an apiVersion or metadata, or an apiVersion with metadata, so it is not a Kubernetes manifest (a tool's configuration may have a kind alone, as kube-state-metrics' CustomResourceStateMetrics does) and was not linted; add an ignore pattern to silence this note",
    ],
  ]);
  // a kind alone is a tool's configuration; a kind with metadata but no apiVersion is a broken object
  expect(found(run, 'ksm.yaml').map(([r, id]) => [r, id])).toEqual([['non-manifest-file', 'notManifest']]);
  expect(found(run, 'noapi.yaml').map(([r, id]) => [r, id])).toEqual([['invalid-object', 'noType']]);
  expect(found(run, 'scalar.yaml').filter(([r]) => r === 'invalid-object')).toEqual([
    ['invalid-object', 'notMapping', 'document 2 is the string "just text", not a Kubernetes object (a mapping with apiVersion and kind)'],
  ]);
  expect(found(run, 'list.yaml').filter(([r]) => r === 'invalid-object')).toEqual([
    ['invalid-object', 'itemNotMapping', 'items[0] is a number, not a Kubernetes object'],
    ['invalid-object', 'noType', 'items[1] is not a Kubernetes object: no apiVersion and no kind (both must be non-empty strings)'],
  ]);
  expect(found(run, 'bin.yaml')).toEqual([['unreadable-file', 'binary', 'binary file (a NUL byte at byte 2); not a manifest']]);
  expect(found(run, 'latin1.yaml')).toEqual([['unreadable-file', 'invalidUtf8', 'invalid UTF-8 at byte 3; the file must be UTF-8 text']]);
});

test('a too-large input and stdin are told apart by message id', () => {
  const dir = writeTree({ 'big.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' });
  const run = lint({
    cwd: dir,
    inputs: [dir, '-'],
    stdin: { text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n' },
    maxFileSize: 10,
    config: { data: {}, dir },
    registry: new RuleRegistry(),
  });
  expect(found(run, 'big.yaml')).toEqual([
    ['unreadable-file', 'tooLarge', 'file is 51 bytes, larger than --max-file-size (10 bytes); not linted'],
  ]);
  expect(found(run, '<stdin>')).toEqual([
    ['unreadable-file', 'stdinTooLarge', 'input is 51 bytes, larger than --max-file-size (10 bytes); not linted'],
  ]);
});

test('suppression-stage findings carry their message ids', () => {
  const dir = writeTree({
    'm.yaml': [
      '# k8s-gold-ignore-file image-tag -- generated',
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: web',
      '  annotations: # k8s-gold-ignore -- nothing here',
      '    ignore.k8s-gold.dev/host-path: ""',
      '    ignore.k8s-gold.dev/no-such-rule: "x"',
      '    ignore.k8s-gold.dev/image-pull-policy: "containers=side -- pinned"',
      'spec:',
      '  containers:',
      '    - name: web',
      '      image: nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000 # k8s-gold-ignore typo-rule',
      '',
    ].join('\n'),
  });
  const run = lintPaths([dir], {
    cwd: dir,
    rules: { 'unused-suppression': 'warning', 'suppression-reason': 'warning', 'image-pull-policy': 'warning' },
  });
  const ids = found(run, 'm.yaml')
    .filter(([r]) => r === 'unused-suppression' || r === 'suppression-reason')
    .map(([r, id]) => `${r}(${String(id)})`)
    .sort();
  expect(ids).toEqual(
    [
      'suppression-reason(annotation)',
      'suppression-reason(comment)',
      'unused-suppression(annotationUnknownRule)',
      'unused-suppression(annotationUnused)',
      'unused-suppression(annotationUnusedInContainers)',
      'unused-suppression(unknownRule)',
      'unused-suppression(unusedAny)',
      'unused-suppression(unusedInFile)',
    ].sort(),
  );
});

test('a kustomize patch note carries its message id', () => {
  const dir = writeTree({
    'base/kustomization.yaml': 'resources:\n  - cm.yaml\n',
    'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    'overlay/kustomization.yaml': 'resources:\n  - ../base\npatches:\n  - path: patch.yaml\n',
    'overlay/patch.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: "1"}\n',
  });
  const run = lintPaths([path.join(dir, 'overlay')], { cwd: dir, config: { kustomize: { render: false } } });
  const notes = run.results.flatMap((r) => r.messages).filter((m) => m.ruleId === 'kustomize-patch');
  expect(notes.map((m) => messageIdOf(m))).toEqual(['notLinted']);
  expect(notes[0]!.message).toMatch(
    /^1 file\(s\) of this kustomization are not linted as objects: patches overlay\/patch\.yaml\. .* kubectl kustomize overlay \| k8s-gold lint -$/,
  );
});
