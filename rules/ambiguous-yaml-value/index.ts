import { defineRule, type ReportDescriptor } from '../../src/engine/rule.js';
import { describeResolved } from '../../src/parse/goyaml.js';
import { pathStartsWith } from '../../src/util/path.js';
import { fieldAccepts } from '../../src/schema/field-type.js';
import type { Ambiguity } from '../../src/parse/parse.js';
import type { ManifestObject, Obj } from '../../src/model/object.js';
import type { Path } from '../../src/parse/source.js';

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
      octalMode: {
        text: '{{what}} {{source}} is read by Kubernetes (YAML 1.1) as {{cluster}}, but by YAML 1.2 tools as {{yaml12}}; {{fix}}',
        severity: 'info',
      },
    },
    fixable: true,
    hasSuggestions: true,
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
        fix =
          c.kind === 'bool'
            ? `quote it ("${a.source}") if you mean a string, or write ${String(c.value)}`
            : `quote it ("${a.source}") if you mean a string`;
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
        // the field type lookups only serve the fix
        ...(a.isKey || ctx.wantsFixes === false ? {} : fixes(obj, rel, a)),
      });
    }
  },
});

function keyString(v: unknown): string {
  return v === null ? 'null' : String(v);
}

/**
 * The fix, where the field's type says which reading is meant: a string field
 * gets the text quoted; a boolean or integer field gets the value the cluster
 * reads, written so that every reader agrees (`0644` → `0o644`). Where the
 * type is unknown or takes both (int-or-string), both edits are suggestions.
 */
function fixes(obj: ManifestObject<Obj>, rel: Path, a: Ambiguity): Pick<ReportDescriptor, 'fix' | 'suggest'> {
  const c = a.cluster;
  const quoted = JSON.stringify(a.source);
  let typed: string | undefined;
  if (c.kind === 'bool') typed = String(c.value);
  else if (c.kind === 'int' || c.kind === 'float')
    typed = /^[-+]?0[0-7]+$/.test(a.source)
      ? `${a.source.startsWith('-') ? '-' : ''}0o${a.source.replace(/^[-+]?0+/, '') || '0'}`
      : String(c.value);
  const asString = fieldAccepts(obj, rel, a.source);
  const asCluster = fieldAccepts(obj, rel, c.value);
  if (asString === 'accepted' && asCluster === 'rejected') return { fix: (f) => f.replaceText(rel, quoted) };
  if (typed !== undefined && asCluster === 'accepted' && asString === 'rejected') return { fix: (f) => f.replaceText(rel, typed) };
  const suggest: NonNullable<ReportDescriptor['suggest']> = [
    { desc: `Quote it: ${quoted} (the string)`, fix: (f) => f.replaceText(rel, quoted) },
  ];
  if (typed !== undefined)
    suggest.push({ desc: `Write ${typed} (${describeResolved(c)}, as Kubernetes reads it)`, fix: (f) => f.replaceText(rel, typed) });
  return { suggest };
}
