import { defineRule } from '../../src/engine/rule.js';
import { describeResolved } from '../../src/parse/goyaml.js';
import { pathStartsWith } from '../../src/util/path.js';

export default defineRule({
  meta: {
    id: 'ambiguous-yaml-value',
    severity: 'warning',
    category: 'correctness',
    description: 'An unquoted value that Kubernetes (YAML 1.1) and YAML 1.2 tools read differently.',
    rationale:
      'kubectl and the API server read YAML with go-yaml v2 (YAML 1.1 rules): `yes`, `no`, `on`, `off`, `y` and `n` are booleans, `0644` is octal (420) and `1_000` is 1000. Editors, yq, Helm post-processors and most YAML 1.2 libraries read the same text as the string "on", the decimal 644 or the string "1_000". ' +
      'The result is the "Norway problem": a country code `NO` becomes `false`, an env value `on` becomes a boolean that the API server rejects, and a file mode `0755` means one thing to the cluster and another to the tool that generated or checked it.',
    remediation:
      'Quote the value when you mean a string (`value: "on"`). For file modes, write the octal with a `0o` prefix (`defaultMode: 0o644`), which both readings agree on, or the decimal value (`420`). Write booleans as `true`/`false` and numbers without underscores. A leading-zero octal on a file-mode field (`mode`, `defaultMode`) is reported as info only: it is the idiom of the Kubernetes documentation, and kubectl, Helm and kustomize all read it as the intended octal.',
    tags: ['yaml', 'correctness'],
    defaultOptions: {},
    precision: 'very-high',
    messages: {
      ambiguous: '{{what}} {{source}} is read by Kubernetes (YAML 1.1) as {{cluster}}, but by YAML 1.2 tools as {{yaml12}}; {{fix}}',
      // a leading-zero file mode: the idiom of the Kubernetes docs, read as octal by kubectl, Helm and kustomize
      octalMode: { text: '{{what}} {{source}} is read by Kubernetes (YAML 1.1) as {{cluster}}, but by YAML 1.2 tools as {{yaml12}}; {{fix}}', severity: 'info' },
    },
  },
  check(obj, ctx) {
    const base = obj.basePath;
    for (const a of obj.doc.ambiguities) {
      if (!pathStartsWith(a.path, base)) continue;
      const rel = a.path.slice(base.length);
      const c = a.cluster;
      let fix: string;
      // `defaultMode: 0644` is the idiom of the Kubernetes docs and is read as the intended
      // octal by kubectl, Helm and kustomize (go-yaml v2 and v3); only strict YAML 1.2
      // libraries disagree, so on a file-mode field it is a note, not a warning
      const octalMode = !a.isKey && /^0[0-7]+$/.test(a.source) && /^(default)?[mM]ode$/.test(String(rel[rel.length - 1] ?? ''));
      if (a.yaml12.kind === 'str' || c.kind === 'bool' || c.kind === 'null') {
        fix = c.kind === 'bool' ? `quote it ("${a.source}") if you mean a string, or write ${String(c.value)}` : `quote it ("${a.source}") if you mean a string`;
      } else if (/^[-+]?0[0-7]+$/.test(a.source)) {
        const sign = a.source.startsWith('-') ? '-' : '';
        fix = `write ${sign}0o${a.source.replace(/^[-+]?0+/, '') || '0'} (or ${String(c.value)}) so that every reader agrees`;
      } else {
        fix = `write ${String(c.value)} so that every reader agrees`;
      }
      ctx.report({
        path: a.isKey ? [...rel, keyString(c.value)] : rel,
        valueOnly: !a.isKey,
        messageId: octalMode ? 'octalMode' : 'ambiguous',
        data: { what: a.isKey ? 'key' : 'value', source: a.source, cluster: describeResolved(c), yaml12: describeResolved(a.yaml12), fix },
      });
    }
  },
});

function keyString(v: unknown): string {
  return v === null ? 'null' : String(v);
}
