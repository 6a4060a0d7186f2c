/**
 * The rule contract the engine enforces: appliesTo matched by group and kind,
 * every report a messageId of meta.messages (a message may carry its own
 * severity), options validated and merged when the config loads, metadata
 * checked against the meta-schema shared with plugins.
 */
import { lint } from '../src/engine/linter';
import { RuleRegistry, BUILTIN_RULES } from '../src/engine/registry';
import { defineRule, type AnyRule } from '../src/engine/rule';
import { appliesTo, matcherProblems } from '../src/engine/applies';
import { metaProblems } from '../src/policy/plugins';
import { ConfigError } from '../src/config/config';
import { writeTree } from './helpers';

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: "web:1" }]
---
apiVersion: example.com/v1
kind: Deployment
metadata: { name: not-apps }
spec: { replicas: 3 }
---
apiVersion: v1
kind: Pod
metadata: { name: bare }
spec:
  containers: [{ name: c, image: "c:1" }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: ing }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: reader }
`;

function run(rules: AnyRule[], config: Record<string, unknown> = {}) {
  const dir = writeTree({ 'm.yaml': MANIFESTS });
  const registry = new RuleRegistry([...BUILTIN_RULES, ...rules]);
  const off = Object.fromEntries(BUILTIN_RULES.map((r) => [r.meta.id, 'off' as const]));
  return lint({
    cwd: dir,
    inputs: [dir],
    config: { data: { ...config, rules: { ...off, ...((config.rules as object) ?? {}) } }, dir },
    registry,
  });
}

function seen(matchers: string[]) {
  const names: string[] = [];
  const rule = defineRule({
    meta: {
      id: 'test/seen',
      severity: 'info',
      category: 't',
      description: 'T.',
      rationale: 'r',
      remediation: 'r',
      tags: ['t'],
      defaultOptions: {},
      appliesTo: matchers,
      messages: { x: 'x' },
    },
    check(obj) {
      names.push(`${obj.apiVersion} ${obj.kind}/${obj.name}`);
    },
  });
  run([rule]);
  return names.sort();
}

describe('appliesTo', () => {
  test('group/Kind matches the API group, not only the kind name', () => {
    expect(seen(['apps/Deployment'])).toEqual(['apps/v1 Deployment/web']);
    expect(seen(['*/Deployment'])).toEqual(['apps/v1 Deployment/web', 'example.com/v1 Deployment/not-apps']);
    expect(seen(['core/Pod'])).toEqual(['v1 Pod/bare']);
  });
  test('named groups', () => {
    expect(seen(['PodSpecHolder'])).toEqual(['apps/v1 Deployment/web', 'v1 Pod/bare']);
    expect(seen(['Workload'])).toEqual(['apps/v1 Deployment/web']);
    expect(seen(['RBAC', 'Ingress'])).toEqual(['networking.k8s.io/v1 Ingress/ing', 'rbac.authorization.k8s.io/v1 ClusterRole/reader']);
    expect(seen(['CustomResource'])).toEqual(['example.com/v1 Deployment/not-apps']);
  });
  test('malformed matchers are named', () => {
    expect(matcherProblems(['apps/Deployment', 'core/Pod', '*/Ingress', 'Workload'])).toEqual([]);
    expect(matcherProblems(['Deployments'])[0]).toMatch(/not a kind group/);
    expect(matcherProblems(['apps/deployment'])[0]).toMatch(/not a group\/Kind matcher/);
  });
  test('appliesTo() is exported for plugins', () => {
    expect(typeof appliesTo).toBe('function');
  });
});

describe('messages', () => {
  const rule = defineRule({
    meta: {
      id: 'test/msg',
      severity: 'warning',
      category: 't',
      description: 'T.',
      rationale: 'r',
      remediation: 'r',
      tags: ['t'],
      defaultOptions: { min: 2 },
      schema: { type: 'object', properties: { min: { type: 'integer', minimum: 1 } }, additionalProperties: false },
      appliesTo: ['apps/Deployment'],
      messages: {
        few: '{{name}} has {{n}} replicas, fewer than {{min}}',
        many: { text: '{{name}} has {{n}} replicas', severity: 'error' },
      },
    },
    check(obj, ctx) {
      const n = (obj.data.spec as { replicas: number }).replicas;
      ctx.report({
        path: ['spec', 'replicas'],
        messageId: n < ctx.options.min ? 'few' : 'many',
        data: { name: obj.name, n, min: ctx.options.min },
      });
    },
  });
  test('a message id is formatted with its data and carries its own severity', () => {
    const r = run([rule]);
    const m = r.results.flatMap((x) => x.messages);
    expect(m.map((x) => [x.ruleId, x.level, x.message, x.line])).toEqual([['test/msg', 'error', 'web has 3 replicas', 5]]);
  });
  test('options come validated and merged over the defaults', () => {
    const r = run([rule], { rules: { 'test/msg': ['warning', { min: 5 }] } });
    expect(r.results.flatMap((x) => x.messages).map((x) => [x.level, x.message])).toEqual([
      ['warning', 'web has 3 replicas, fewer than 5'],
    ]);
  });
  test('invalid options stop the run when the config loads, without the CLI', () => {
    expect(() => run([rule], { rules: { 'test/msg': ['warning', { min: 0 }] } })).toThrow(ConfigError);
    expect(() => run([rule], { rules: { 'test/msg': ['warning', { mni: 5 }] } })).toThrow(ConfigError);
  });
  test('a regular expression option that does not compile stops the run when the config loads', () => {
    const rules = { 'probe-timeout-vs-client-timeout': ['warning', { flagNamePattern: 'time(out' }] };
    expect(() => run([], { rules })).toThrow(ConfigError);
    expect(() => run([], { rules: { 'probe-timeout-vs-client-timeout': ['warning', { flagNamePattern: 'time(out)?' }] } })).not.toThrow();
  });
  test('an unknown message id is an internal error, not a silent pass', () => {
    const bad = defineRule({
      meta: {
        id: 'test/bad',
        severity: 'warning',
        category: 't',
        description: 'T.',
        rationale: 'r',
        remediation: 'r',
        tags: ['t'],
        defaultOptions: {},
        appliesTo: ['core/Pod'],
        messages: { a: 'a' },
      },
      check(_obj, ctx) {
        ctx.report({ path: [], messageId: 'b' as 'a' });
      },
    });
    const r = run([bad]);
    expect(r.internalErrors).toEqual([expect.stringMatching(/rule test\/bad failed on Pod\/bare: reported unknown messageId "b"/)]);
  });
  test('a built-in rule (no plugin prefix) reporting inline prose is an internal error', () => {
    const inline: AnyRule = {
      meta: {
        id: 'inline-prose',
        severity: 'warning',
        category: 't',
        description: 'T.',
        rationale: 'r',
        remediation: 'r',
        tags: ['t'],
        defaultOptions: {},
        appliesTo: ['core/Pod'],
      },
      check(obj, ctx) {
        ctx.report({ path: ['metadata', 'name'], message: `pod ${obj.name}` });
      },
    };
    const r = run([inline], { rules: { 'inline-prose': 'warning' } });
    expect(r.internalErrors).toEqual([expect.stringMatching(/rule inline-prose failed on Pod\/bare: reported without a messageId/)]);
    expect(r.results.flatMap((x) => x.messages).map((x) => x.message)).toEqual([expect.stringMatching(/^internal error: /)]);
  });
  test('every built-in rule with a check declares its messages', () => {
    for (const r of BUILTIN_RULES)
      if (r.check) expect([r.meta.id, Object.keys(r.meta.messages ?? {}).length > 0]).toEqual([r.meta.id, true]);
  });
  test('an old-style plugin rule with inline messages still runs, with a deprecation note', () => {
    const old: AnyRule = {
      meta: {
        id: 'acme/old',
        severity: 'warning',
        category: 't',
        description: 'T.',
        rationale: 'r',
        remediation: 'r',
        tags: ['t'],
        defaultOptions: {},
        kinds: ['Pod'],
      },
      check(obj, ctx) {
        ctx.report({ path: ['metadata', 'name'], message: `pod ${obj.name}` });
      },
    };
    const r = run([old]);
    expect(r.results.flatMap((x) => x.messages).map((x) => x.message)).toEqual(['pod bare']);
    expect(r.notes).toEqual([expect.stringMatching(/rule acme\/old reports inline messages, which is deprecated/)]);
  });
});

describe('fixes and suggestions', () => {
  const meta = {
    severity: 'warning' as const,
    category: 't',
    description: 'T.',
    rationale: 'r',
    remediation: 'r',
    tags: ['t'],
    defaultOptions: {},
    appliesTo: ['core/Pod'],
  };
  test('a fix without meta.fixable, or a suggestion without meta.hasSuggestions, is an internal error', () => {
    const noFixable = defineRule({
      meta: { ...meta, id: 'test/nofix', messages: { a: 'a' } },
      check(_obj, ctx) {
        ctx.report({ path: ['metadata', 'name'], messageId: 'a', fix: (f) => f.set(['metadata', 'name'], 'x') });
      },
    });
    const noSuggest = defineRule({
      meta: { ...meta, id: 'test/nosuggest', messages: { a: 'a' } },
      check(_obj, ctx) {
        ctx.report({
          path: ['metadata', 'name'],
          messageId: 'a',
          suggest: [{ messageId: 'a', fix: (f) => f.set(['metadata', 'name'], 'x') }],
        });
      },
    });
    expect(run([noFixable]).internalErrors).toEqual([expect.stringMatching(/reported a fix but its meta has no `fixable: true`/)]);
    expect(run([noSuggest]).internalErrors).toEqual([
      expect.stringMatching(/reported suggestions but its meta has no `hasSuggestions: true`/),
    ]);
  });
  test("fixes and suggestions come out in ESLint's shape, suggestions described by their message id", () => {
    const rule = defineRule({
      meta: { ...meta, id: 'test/fixes', fixable: true, hasSuggestions: true, messages: { a: 'name {{n}}', rename: 'Rename to {{to}}' } },
      check(obj, ctx) {
        ctx.report({
          path: ['metadata', 'name'],
          messageId: 'a',
          data: { n: obj.name },
          fix: (f) => f.set(['metadata', 'labels', 'fixed'], 'yes'),
          suggest: [{ messageId: 'rename', data: { to: 'other' }, fix: (f) => f.set(['metadata', 'name'], 'other') }],
        });
      },
    });
    const r = run([rule]);
    const m = r.results.flatMap((x) => x.messages)[0]!;
    const text = r.sources!.values().next().value!.text;
    expect(m.fix).toEqual({ range: [expect.any(Number), expect.any(Number)], text: expect.stringContaining('fixed: "yes"') });
    expect(m.suggestions).toEqual([
      { messageId: 'rename', desc: 'Rename to other', fix: { range: [text.indexOf('bare'), text.indexOf('bare') + 4], text: 'other' } },
    ]);
    expect(r.results[0]!.fixableWarningCount).toBe(1);
  });
  test('a suggestion naming an unknown message id is an internal error', () => {
    const rule = defineRule({
      meta: { ...meta, id: 'test/badsuggest', hasSuggestions: true, messages: { a: 'a' } },
      check(_obj, ctx) {
        ctx.report({ path: [], messageId: 'a', suggest: [{ messageId: 'zz' as 'a', fix: (f) => f.set(['metadata', 'name'], 'x') }] });
      },
    });
    expect(run([rule]).internalErrors).toEqual([expect.stringMatching(/suggested with unknown messageId "zz"/)]);
  });
});

describe('meta-schema', () => {
  test('every built-in rule passes the meta-schema shared with plugins', () => {
    for (const r of BUILTIN_RULES) expect([r.meta.id, metaProblems(r.meta)]).toEqual([r.meta.id, []]);
  });
  test('it catches what plugins get wrong', () => {
    const base = {
      id: 'acme/x',
      severity: 'warning',
      category: 't',
      description: 'T.',
      rationale: 'r',
      remediation: 'r',
      tags: ['t'],
      defaultOptions: {},
    };
    expect(metaProblems({ ...base, messages: { a: { text: 'a', severity: 'fatal' } } }).join('\n')).toMatch(/meta\.messages\.a/);
    expect(metaProblems({ ...base, appliesTo: ['Deployments'] }).join('\n')).toMatch(/meta\.appliesTo: "Deployments" is not a kind group/);
    expect(metaProblems({ ...base, severity: 'fatal' }).join('\n')).toMatch(/meta\.severity/);
  });
});

describe('presets', () => {
  const pss = defineRule({
    meta: {
      id: 'test/pss',
      severity: 'error',
      category: 't',
      description: 'T.',
      rationale: 'r',
      remediation: 'r',
      tags: ['t'],
      defaultOptions: {},
      presets: ['pss-baseline', 'pss-restricted'],
      appliesTo: ['core/Pod'],
      messages: { x: 'x' },
    },
    check(_obj, ctx) {
      ctx.report({ path: [], messageId: 'x' });
    },
  });
  const ids = (config: Record<string, unknown>) =>
    run([pss], config)
      .results.flatMap((x) => x.messages)
      .map((m) => m.ruleId);
  test('a rule outside the active presets is off; extends turns it on; all holds every rule', () => {
    expect(ids({})).toEqual([]);
    expect(ids({ extends: 'recommended' })).toEqual([]);
    expect(ids({ extends: ['pss-baseline'] })).toEqual(['test/pss']);
    expect(ids({ extends: 'pss-restricted' })).toEqual(['test/pss']);
    expect(ids({ extends: 'all' })).toEqual(['test/pss']);
    expect(ids({ rules: { 'test/pss': 'warning' } })).toEqual(['test/pss']);
  });
});
