/**
 * Hostile input, through the real CLI: every case ends in a clear finding
 * (or note), an exit code of 0, 1 or 2, no stack trace, and every other file
 * still linted (each hostile file has a normal manifest beside it).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readInput } from '../src/engine/linter';
import type { LintMessage, LintResult } from '../src/engine/result';
import { parseText } from '../src/parse/parse';
import { cli, ROOT, writeTree } from './helpers';

const OK = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: beside\ndata:\n  a: b\n';
const STACK = /\n\s+at .+\(.*:\d+:\d+\)|\n\s+at .+:\d+:\d+/;

interface Outcome {
  code: number;
  results: LintResult[];
  stdout: string;
  stderr: string;
  file(name: string): LintResult;
  messages(name: string): LintMessage[];
}

async function lintTree(files: Record<string, string | Buffer>, extraArgs: string[] = [], setup?: (dir: string) => void): Promise<Outcome> {
  const dir = writeTree({ 'ok.yaml': OK, ...files });
  setup?.(dir);
  const r = await cli(['lint', '--no-config', '-f', 'json', ...extraArgs, '.'], { cwd: dir });
  expect([0, 1, 2]).toContain(r.code);
  expect(r.stderr).not.toMatch(STACK);
  const results = JSON.parse(r.stdout) as LintResult[];
  const file = (name: string): LintResult => {
    const f = results.find((x) => x.filePath === name);
    if (!f) throw new Error(`${name} is not in the results: ${results.map((x) => x.filePath).join(', ')}`);
    return f;
  };
  // the normal manifest beside the hostile one was linted
  expect(file('ok.yaml').objectCount).toBe(1);
  expect(file('ok.yaml').messages).toEqual([]);
  return { code: r.code, results, stdout: r.stdout, stderr: r.stderr, file, messages: (n) => file(n).messages };
}

function only1(ms: LintMessage[], ruleId: string, re: RegExp): LintMessage {
  const hits = ms.filter((m) => m.ruleId === ruleId && re.test(m.message));
  expect(hits.map((m) => m.message)).toHaveLength(1);
  return hits[0]!;
}

const deployment = (name: string, extra = ''): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n${extra}`;

describe('alias expansion', () => {
  test('billion laughs is refused with a finding, not expanded', async () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const p = String.fromCharCode(96 + i);
      const n = String.fromCharCode(97 + i);
      lines.push(
        `${n}: &${n} [${Array(9)
          .fill('*' + p)
          .join(',')}]`,
      );
    }
    const o = await lintTree({ 'bomb.yaml': lines.join('\n') + '\n' });
    expect(o.code).toBe(1);
    const m = only1(o.messages('bomb.yaml'), 'yaml-syntax', /expands to more than \d+ nodes through aliases/);
    expect(m.fatal).toBe(true);
  });

  test('a merge-key bomb is refused too', async () => {
    const lines = ['a0: &a0 {k0: v, k1: v, k2: v, k3: v, k4: v, k5: v, k6: v, k7: v, k8: v, k9: v}'];
    for (let i = 1; i < 8; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    lines.push('x:\n  <<: *a0');
    const o = await lintTree({ 'merge-bomb.yaml': lines.join('\n') + '\n' });
    only1(o.messages('merge-bomb.yaml'), 'yaml-syntax', /through aliases/);
  });

  test('more than 100 references to one anchor in a legitimate file work', async () => {
    const items = Array.from(
      { length: 150 },
      (_, i) => `- {apiVersion: v1, kind: ConfigMap, metadata: {name: c${i}, labels: *common}, data: *data}`,
    );
    const text = `apiVersion: v1\nkind: List\nmetadata:\n  labels: &common {team: a, tier: web}\n  annotations: &data {k: v}\nitems:\n${items.join('\n')}\n`;
    const o = await lintTree({ 'refs.yaml': text });
    expect(o.code).toBe(0);
    expect(o.file('refs.yaml').objectCount).toBe(150);
    expect(o.messages('refs.yaml')).toEqual([]);
    const parsed = parseText(text);
    const items0 = (parsed.documents[0]!.value as { items: { metadata: { labels: unknown } }[] }).items;
    expect(items0[149]!.metadata.labels).toEqual({ team: 'a', tier: 'web' });
  });

  test('a self-referencing alias is an unknown anchor', async () => {
    const o = await lintTree({ 'self.yaml': 'a: &a [*a]\n' });
    only1(o.messages('self.yaml'), 'yaml-syntax', /unknown anchor "a"/);
  });
});

describe('deep nesting', () => {
  const cases: [string, string][] = [
    ['flow sequences', '['.repeat(10_000) + ']'.repeat(10_000) + '\n'],
    ['flow mappings', 'a: ' + '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000) + '\n'],
    ['block sequences', '- '.repeat(10_000) + 'x\n'],
    ['block mappings', Array.from({ length: 10_000 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + '\n'],
  ];
  test.each(cases)('10,000 levels of %s: a finding, no crash', async (_name, text) => {
    const o = await lintTree({ 'deep.yaml': text }, ['--max-file-size', String(100 * 1024 * 1024)]);
    expect(o.code).toBe(1);
    const m = only1(o.messages('deep.yaml'), 'yaml-syntax', /nesting deeper than 500 levels; not linted/);
    expect(m.line).toBeGreaterThanOrEqual(1);
  });

  test('500 levels are still read', () => {
    const p = parseText('['.repeat(500) + ']'.repeat(500));
    expect(p.errors).toEqual([]);
    expect(p.documents[0]!.ok).toBe(true);
  });

  test('a deep document does not stop the next documents of the file', async () => {
    const o = await lintTree({ 'mixed.yaml': `${'['.repeat(5000)}${']'.repeat(5000)}\n---\n${OK.replace('beside', 'after-deep')}` });
    expect(o.file('mixed.yaml').objectCount).toBe(1);
    only1(o.messages('mixed.yaml'), 'yaml-syntax', /nesting deeper/);
  });
});

describe('encodings and bytes', () => {
  test('invalid UTF-8 is reported at its position, never replaced', async () => {
    const bytes = Buffer.concat([
      Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\n'),
    ]);
    const o = await lintTree({ 'bad-utf8.yaml': bytes });
    expect(o.code).toBe(1);
    const m = only1(o.messages('bad-utf8.yaml'), 'unreadable-file', /invalid UTF-8 at byte 52/);
    expect([m.line, m.column]).toEqual([4, 12]);
    expect(o.stdout).not.toContain('\ufffd');
  });

  test('invalid UTF-8 on stdin is reported too', async () => {
    const r = await cli(['lint', '--no-config', '-f', 'json', '-'], {
      stdin: Buffer.from([0x61, 0x3a, 0x20, 0xff, 0x0a]),
      cwd: writeTree({}),
    });
    expect(r.code).toBe(1);
    const res = JSON.parse(r.stdout) as LintResult[];
    expect(res[0]!.messages.map((m) => [m.ruleId, m.message, m.line, m.column])).toEqual([
      ['unreadable-file', 'invalid UTF-8 at byte 3; the file must be UTF-8 text', 1, 4],
    ]);
  });

  test('a UTF-8 BOM and CRLF line endings just work, with correct columns', async () => {
    const text = '\ufeffapiVersion: 5\r\nkind: ConfigMap\r\nmetadata:\r\n  name: crlf\r\ndata:\r\n  a: on\r\n';
    const o = await lintTree({ 'bom-crlf.yaml': text });
    const ms = o.messages('bom-crlf.yaml');
    const inv = only1(ms, 'invalid-object', /apiVersion is a number/);
    expect([inv.line, inv.column]).toEqual([1, 1]);
    const amb = only1(ms, 'ambiguous-yaml-value', /value on/);
    expect([amb.line, amb.column, amb.endLine, amb.endColumn]).toEqual([6, 6, 6, 8]);
    expect(ms).toHaveLength(2);
  });

  test('a binary file with a .yaml name is reported, not parsed', async () => {
    const o = await lintTree({ 'binary.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]) });
    only1(o.messages('binary.yaml'), 'unreadable-file', /binary file \(a NUL byte at byte 8\)/);
  });
});

describe('size', () => {
  test('a file larger than the default --max-file-size (64 MiB) is reported, not read', async () => {
    const big = Buffer.alloc(64 * 1024 * 1024 + 1, 0x61);
    const o = await lintTree({ 'big.yaml': big });
    only1(
      o.messages('big.yaml'),
      'unreadable-file',
      /^file is 67108865 bytes, larger than --max-file-size \(67108864 bytes\); not linted$/,
    );
  });

  test('a file over the old 10 MiB default (a rendered install) is linted', async () => {
    const padding = '# ' + 'x'.repeat(1023) + '\n';
    const text = OK.replace('beside', 'rendered') + padding.repeat(10 * 1024 + 1);
    expect(Buffer.byteLength(text)).toBeGreaterThan(10 * 1024 * 1024);
    const o = await lintTree({ 'render.yaml': text });
    expect(o.messages('render.yaml')).toEqual([]);
    expect(o.results.find((r) => r.filePath.endsWith('render.yaml'))).toBeDefined();
  });

  test('--max-file-size lowers the limit', async () => {
    const o = await lintTree({ 'medium.yaml': OK + '#'.repeat(2000) + '\n' }, ['--max-file-size', '1000']);
    only1(o.messages('medium.yaml'), 'unreadable-file', /larger than --max-file-size \(1000 bytes\)/);
  });

  test('one line of 1 MB is read, with exact columns after it', async () => {
    const long = 'x'.repeat(1024 * 1024);
    const o = await lintTree({
      'long.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: long}\ndata: {big: "${long}", flag: on}\n`,
    });
    expect(o.file('long.yaml').objectCount).toBe(1);
    const m = only1(o.messages('long.yaml'), 'ambiguous-yaml-value', /value on/);
    expect([m.line, m.column]).toEqual([4, 'data: {big: "'.length + long.length + '", flag: '.length + 1]);
  });

  test('10,000 documents in one file', async () => {
    const docs = Array.from(
      { length: 10_000 },
      (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  n: "${i}"\n`,
    );
    docs[9_999] = docs[9_999]!.replace('n: "9999"', 'n: yes');
    const o = await lintTree({ 'many.yaml': docs.join('---\n') });
    expect(o.file('many.yaml').objectCount).toBe(10_000);
    const m = only1(o.messages('many.yaml'), 'ambiguous-yaml-value', /value yes/);
    expect(m.object?.name).toBe('c9999');
    expect(m.line).toBe(9_999 * 7 + 6);
  });
});

describe('document structure', () => {
  test('`--- x` on a document marker line is a scalar document', async () => {
    // beside a real object the scalar document is an invalid object; alone, the file is not a manifest at all
    const o = await lintTree({ 'marker.yaml': `${OK.replace('beside', 'm')}--- x\n`, 'only-marker.yaml': '--- x\n' });
    only1(o.messages('marker.yaml'), 'invalid-object', /document 2 is the string "x", not a Kubernetes object/);
    only1(o.messages('only-marker.yaml'), 'non-manifest-file', /not a Kubernetes manifest/);
  });

  test('a mapping on a document marker line is a syntax error', async () => {
    const o = await lintTree({ 'marker-map.yaml': '--- apiVersion: v1\nkind: ConfigMap\n' });
    only1(o.messages('marker-map.yaml'), 'yaml-syntax', /Block collection cannot start on same line/);
  });

  test('content after `...` is a new document, and junk on the `...` line an error', async () => {
    const o = await lintTree({
      'after-end.yaml': `${OK.replace('beside', 'first')}...\ngarbage: here\n`,
      'end-junk.yaml': `${OK.replace('beside', 'x')}... junk\n`,
    });
    expect(o.file('after-end.yaml').objectCount).toBe(2);
    only1(o.messages('after-end.yaml'), 'invalid-object', /document 2 is not a Kubernetes object: no apiVersion and no kind/);
    only1(o.messages('end-junk.yaml'), 'yaml-syntax', /^unexpected text after a complete value/);
  });

  test('documents that are a scalar, a list or null', async () => {
    const head = `${OK.replace('beside', 'm')}---\n`;
    const n = head.split('\n').length - 1; // lines before the odd documents
    const shapes = 'hello\n---\n- a\n- b\n---\nnull\n---\n~\n---\n42\n';
    const o = await lintTree({ 'shapes.yaml': head + shapes, 'only-shapes.yaml': shapes });
    const ms = o.messages('shapes.yaml').map((m) => [m.ruleId, m.line, m.message.replace(/, not a Kubernetes.*/, '')]);
    expect(ms).toEqual([
      ['invalid-object', n + 1, 'document 2 is the string "hello"'],
      ['invalid-object', n + 3, 'document 3 is a list'],
      ['invalid-object', n + 6, 'document 4 is null'],
      ['invalid-object', n + 8, 'document 5 is null'],
      ['invalid-object', n + 10, 'document 6 is a number'],
    ]);
    // a file of such documents only is not a manifest: one note, not five errors
    expect(o.messages('only-shapes.yaml').map((m) => [m.ruleId, m.level])).toEqual([['non-manifest-file', 'info']]);
  });

  test('duplicate keys', async () => {
    // another name than ok.yaml's ConfigMap: two different ConfigMaps "beside" in one directory are a duplicate-object finding
    const o = await lintTree({ 'dup.yaml': OK.replace('beside', 'dup').replace('  a: b', '  a: b\n  a: c') });
    const m = only1(o.messages('dup.yaml'), 'duplicate-key', /duplicate key "a"/);
    expect([m.line, m.column]).toEqual([7, 3]);
  });

  test('tab indentation', async () => {
    const o = await lintTree({ 'tabs.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: t\n' });
    const m = only1(o.messages('tabs.yaml'), 'yaml-syntax', /tabs are not allowed as indentation/);
    expect(m.line).toBe(4);
  });

  test('JSON with a trailing comma', async () => {
    const o = await lintTree({ 'trailing.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j",}}\n' });
    const m = only1(o.messages('trailing.json'), 'yaml-syntax', /^invalid JSON/);
    expect([m.line, m.column]).toEqual([1, 68]);
    // kubectl's JSON decoder rejects the object: it is not linted as the YAML it also is
    expect(o.file('trailing.json').objectCount).toBe(0);
  });

  test('JSON with a comment: one error, no second finding from a YAML reading of the same text', async () => {
    const text = '{\n  // the config map\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "c"}\n}\n';
    const o = await lintTree({ 'commented.json': text });
    const m = only1(o.messages('commented.json'), 'yaml-syntax', /^invalid JSON/);
    expect([m.line, m.column]).toEqual([2, 3]);
    expect(o.messages('commented.json')).toHaveLength(1);
    expect(o.file('commented.json').objectCount).toBe(0);
  });
});

describe('__proto__ and constructor keys', () => {
  test('no prototype pollution, and the keys are kept', async () => {
    const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: proto',
      '  labels:',
      '    __proto__: a',
      '    __proto__: b',
      '    constructor: c',
      '    constructor: d',
      'data:',
      '  __proto__: {polluted: "yes"}',
      '  constructor: {prototype: {polluted: "yes"}}',
      '  prototype: {polluted: "yes"}',
      '__proto__:',
      '  polluted: "yes"',
      '',
    ].join('\n');
    const o = await lintTree({ 'proto.yaml': text, 'merge.yaml': 'a: &p {polluted: "yes"}\nb: {__proto__: *p, <<: *p}\n' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
    const paths = o
      .messages('proto.yaml')
      .filter((m) => m.ruleId === 'duplicate-key')
      .map((m) => m.path);
    expect(paths).toEqual(['/metadata/labels/__proto__', '/metadata/labels/constructor']);
    expect(o.stdout).toContain('"path":"/metadata/labels/__proto__"');

    const parsed = parseText(text).documents[0]!.value as Record<string, Record<string, unknown>>;
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.hasOwn(parsed.metadata!.labels as object, '__proto__')).toBe(true);
    expect((parsed.metadata!.labels as Record<string, unknown>)['__proto__']).toBe('b');
    expect(Object.hasOwn(parsed.data!, 'constructor')).toBe(true);
    expect(JSON.parse(JSON.stringify(parsed)).data.__proto__).toEqual({ polluted: 'yes' });
    const merged = parseText('a: &p {polluted: "yes"}\nb: {__proto__: *p, <<: *p}\n').documents[0]!.value as Record<
      string,
      Record<string, unknown>
    >;
    expect(Object.getPrototypeOf(merged.b)).toBe(Object.prototype);
    expect(merged.b!.polluted).toBe('yes');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('files that move under our feet', () => {
  test('a directory symlink to its parent is a note, and every file is linted once', async () => {
    const o = await lintTree({ 'sub/cm.yaml': OK.replace('beside', 'sub') }, [], (dir) =>
      fs.symlinkSync('..', path.join(dir, 'sub', 'up')),
    );
    expect(o.results.map((r) => r.filePath)).toEqual(['ok.yaml', 'sub/cm.yaml']);
    expect(o.code).toBe(0);
  });

  test('the symlink loop note is printed', async () => {
    const dir = writeTree({ 'ok.yaml': OK, 'sub/cm.yaml': OK.replace('beside', 'sub') });
    fs.symlinkSync('..', path.join(dir, 'sub', 'up'));
    const r = await cli(['lint', '--no-config', '.'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sub/up: symbolic link loop, not followed');
    expect(r.stdout).toMatch(/2 files, 2 objects/);
  });

  test('a dangling symlink is reported as a broken link to its target', async () => {
    const o = await lintTree({}, [], (dir) => fs.symlinkSync('gone.yaml', path.join(dir, 'dangling.yaml')));
    only1(
      o.messages('dangling.yaml'),
      'unreadable-file',
      /^cannot read file: broken symbolic link to gone\.yaml \(the target does not exist\)$/,
    );
  });

  test('readInput on a file deleted after discovery', () => {
    const dir = writeTree({ 'x.yaml': OK });
    const abs = path.join(dir, 'x.yaml');
    fs.unlinkSync(abs);
    const l = readInput({ abs, display: 'x.yaml' }, 1024, 'default');
    expect(l.objects).toEqual([]);
    expect(l.early.map((e) => [e.ruleId, e.message])).toEqual([
      ['unreadable-file', 'cannot read file: it no longer exists (deleted after it was found?)'],
    ]);
  });
});

describe('wrong types everywhere', () => {
  // Every leaf and subtree of a full Deployment, replaced in turn by each wrong type: every rule must survive.
  const full = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
  labels: {app: web}
  annotations: {a: b}
spec:
  replicas: 3
  revisionHistoryLimit: 5
  minReadySeconds: 10
  progressDeadlineSeconds: 600
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}
  selector:
    matchLabels: {app: web}
    matchExpressions:
    - {key: tier, operator: In, values: [web]}
  template:
    metadata:
      labels: {app: web, tier: web}
      annotations: {x: y}
    spec:
      serviceAccountName: web
      automountServiceAccountToken: false
      terminationGracePeriodSeconds: 30
      priorityClassName: high
      nodeSelector: {disk: ssd}
      hostNetwork: false
      securityContext: {runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: {type: RuntimeDefault}}
      tolerations:
      - {key: k, operator: Equal, value: v, effect: NoSchedule}
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: web}}}
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}
      volumes:
      - name: cfg
        configMap: {name: web, defaultMode: 0644, items: [{key: a, path: a}]}
      - name: sec
        secret: {secretName: web}
      - name: tmp
        emptyDir: {sizeLimit: 1Gi}
      - name: data
        persistentVolumeClaim: {claimName: data}
      imagePullSecrets:
      - name: regcred
      initContainers:
      - name: init
        image: busybox:1.36
        command: [sh, -c, "true"]
        resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 16Mi}}
      containers:
      - name: app
        image: registry.example.com/web:1.2.3
        imagePullPolicy: IfNotPresent
        args: ["--port=8080"]
        ports:
        - {name: http, containerPort: 8080, protocol: TCP}
        env:
        - {name: A, value: "1"}
        - name: B
          valueFrom: {secretKeyRef: {name: web, key: b}}
        - name: C
          valueFrom: {configMapKeyRef: {name: web, key: c}}
        - name: D
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
        envFrom:
        - configMapRef: {name: web}
        - secretRef: {name: web}
        resources:
          requests: {cpu: 100m, memory: 128Mi, ephemeral-storage: 1Gi}
          limits: {cpu: "1", memory: 256Mi}
        livenessProbe:
          httpGet: {path: /healthz, port: http}
          initialDelaySeconds: 5
          periodSeconds: 10
          timeoutSeconds: 2
          failureThreshold: 3
        readinessProbe:
          tcpSocket: {port: 8080}
        startupProbe:
          exec: {command: [cat, /tmp/ready]}
        lifecycle:
          preStop: {exec: {command: [sleep, "5"]}}
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          privileged: false
          runAsNonRoot: true
          capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
        volumeMounts:
        - {name: cfg, mountPath: /etc/web, readOnly: true}
        - {name: tmp, mountPath: /tmp}
`;
  const WRONG: [string, unknown][] = [
    ['null', null],
    ['string', 'x'],
    ['number', 7],
    ['negative', -1],
    ['boolean', true],
    ['list', ['x', 1, null]],
    ['map', { a: { b: 'c' } }],
    ['empty list', []],
    ['empty map', {}],
  ];

  test('a Deployment with each field replaced by each wrong type: no internal error', async () => {
    const base = parseText(full).documents[0]!.value;
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, p: (string | number)[]): void => {
      if (p.length) paths.push(p);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
      else if (v && typeof v === 'object') for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...p, k]);
    };
    walk(base, []);
    const files: Record<string, string> = {};
    let n = 0;
    for (const p of paths) {
      for (const [, w] of WRONG) {
        const copy = JSON.parse(JSON.stringify(base));
        let cur = copy;
        for (const seg of p.slice(0, -1)) cur = cur[seg];
        cur[p[p.length - 1]!] = w;
        files[`v/${String(n++).padStart(5, '0')}.json`] = JSON.stringify(copy);
      }
    }
    // and everything at once: every leaf of the same wrong type
    for (const [name, w] of WRONG) {
      const all = (v: unknown, depth: number): unknown => {
        if (Array.isArray(v)) return v.map((x) => all(x, depth + 1));
        if (v && typeof v === 'object')
          return Object.fromEntries(
            Object.entries(v).map(([k, x]) => [k, depth < 1 && (k === 'apiVersion' || k === 'kind') ? x : all(x, depth + 1)]),
          );
        return w;
      };
      files[`all/${name.replace(' ', '-')}.json`] = JSON.stringify(all(base, 0));
    }
    expect(paths.length).toBeGreaterThan(150);
    const o = await lintTree({ 'full.yaml': full, ...files });
    expect(o.stderr).not.toContain('internal error');
    expect(o.code).not.toBe(2);
    const internal = o.results.flatMap((r) =>
      r.messages.filter((m) => m.message.startsWith('internal error')).map((m) => `${r.filePath}: ${m.message}`),
    );
    expect(internal).toEqual([]);
    expect(o.results.filter((r) => r.filePath.startsWith('v/'))).toHaveLength(n);
    // every variant was read as an object (none skipped)
    expect(o.results.filter((r) => r.filePath.startsWith('v/') && r.objectCount !== 1).map((r) => r.filePath)).toEqual([]);
  });
});

describe('the real binary', () => {
  const bin = path.join(ROOT, 'bin', 'k8s-gold.js');
  const built = fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli.js'));
  const run = (args: string[], input?: Buffer) =>
    spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });

  test('the build exists (npm ci runs prepare)', () => {
    expect(built).toBe(true);
  });

  test('hostile files in one tree: findings, exit 1, no stack trace', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill('*' + String.fromCharCode(96 + i))
          .join(',')}]`,
      );
    const dir = writeTree({
      'ok.yaml': OK,
      'bomb.yaml': lines.join('\n') + '\n',
      'deep.yaml': '['.repeat(10_000) + ']'.repeat(10_000),
      'deep-map.yaml': 'a: ' + '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000),
      'nul.yaml': Buffer.from([0x61, 0x00]),
      'bad.yaml': Buffer.from([0x61, 0x3a, 0x20, 0xfe, 0x0a]),
    });
    const r = run(['lint', '--no-config', '-f', 'json', dir]);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    const res = JSON.parse(r.stdout) as LintResult[];
    const by = Object.fromEntries(res.map((x) => [path.basename(x.filePath), x.messages.map((m) => m.ruleId)]));
    expect(by).toEqual({
      'bad.yaml': ['unreadable-file'],
      'bomb.yaml': ['yaml-syntax'],
      'deep-map.yaml': ['yaml-syntax'],
      'deep.yaml': ['yaml-syntax'],
      'nul.yaml': ['unreadable-file'],
      'ok.yaml': [],
    });
  });

  test('invalid UTF-8 piped to stdin is reported, not replaced', () => {
    const r = run(['lint', '--no-config', '-f', 'json', '-'], Buffer.from([0x6b, 0x3a, 0x20, 0xc0, 0xaf, 0x0a]));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('invalid UTF-8 at byte 3');
    expect(r.stdout).not.toContain('\ufffd');
  });

  test('a missing input is a usage error (exit 2) without a stack trace', () => {
    const r = run(['lint', '--no-config', path.join(writeTree({}), 'nope.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^k8s-gold: No such file or directory: /);
    expect(r.stderr).not.toMatch(STACK);
  });
});
