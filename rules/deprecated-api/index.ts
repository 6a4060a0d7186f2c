import { defineRule } from '../../src/engine/rule.js';
import { SCHEMA_KUBERNETES_VERSION } from '../../src/schema/builtin.js';
import { loadData } from '../../src/data/load.js';
import { targetKubernetesVersion } from '../../src/util/kube-version.js';

interface Entry {
  apiVersion: string;
  kinds: string[];
  deprecatedIn: string;
  removedIn: string;
  replacement: string | null;
  notes: string;
  source: string;
}

let table: Map<string, Entry> | undefined;
function lookup(apiVersion: string, kind: string): Entry | undefined {
  if (!table) {
    table = new Map();
    for (const e of loadData<{ entries: Entry[] }>('deprecations.json').entries) for (const k of e.kinds) table.set(`${e.apiVersion}/${k}`, e);
  }
  return table.get(`${apiVersion}/${kind}`);
}

/** "1.25" → [1, 25]; compares minor versions */
function minor(v: string): number {
  const m = /^v?1\.(\d+)/.exec(v);
  return m ? Number(m[1]) : NaN;
}

export default defineRule({
  meta: {
    id: 'deprecated-api',
    severity: 'error',
    category: 'correctness',
    description: 'An apiVersion removed in the target Kubernetes version is an error; a deprecated one is a warning.',
    rationale:
      'A removed apiVersion is no longer served: `kubectl apply` fails with "no matches for kind", and a Helm upgrade or GitOps sync stops halfway, often during a cluster upgrade when nobody expects it. ' +
      'A deprecated apiVersion still works but will be removed in a named release, so the manifest breaks on the next upgrade. ' +
      'The target version is `kubernetesVersion` in `.k8s-gold.yaml` or `--kubernetes-version` (default: ' +
      SCHEMA_KUBERNETES_VERSION +
      ', the version of the bundled schemas). The table follows the [deprecated API migration guide](https://kubernetes.io/docs/reference/using-api/deprecation-guide/).',
    remediation: 'Change `apiVersion` to the replacement the message names and apply the field changes it lists; `kubectl convert` can rewrite a manifest.',
    tags: ['upgrade', 'correctness'],
    defaultOptions: {},
    messages: {
      removed: {
        text: '{{apiVersion}} {{kind}} was removed in Kubernetes {{removedIn}} and is not served by the target cluster ({{target}}): {{replacement}}{{notes}}. See {{source}}',
        severity: 'error',
      },
      deprecated: {
        text: '{{apiVersion}} {{kind}} is deprecated since Kubernetes {{deprecatedIn}} and removed in {{removedIn}} (target cluster {{target}}): {{replacement}} before upgrading{{notes}}. See {{source}}',
        severity: 'warning',
      },
    },
    precision: 'very-high',
  },
  check(obj, ctx) {
    const e = lookup(obj.apiVersion, obj.kind);
    if (!e) return;
    const { text: target, minor: t } = targetKubernetesVersion(ctx.settings);
    const replacement = e.replacement ? `use ${e.replacement}` : 'it has no replacement API';
    const notes = e.notes ? ` (${e.notes})` : '';
    if (t >= minor(e.removedIn)) {
      ctx.report({
        path: ['apiVersion'],
        messageId: 'removed',
        data: { apiVersion: e.apiVersion, kind: obj.kind, removedIn: e.removedIn, target, replacement, notes, source: e.source },
      });
    } else if (t >= minor(e.deprecatedIn)) {
      ctx.report({
        path: ['apiVersion'],
        messageId: 'deprecated',
        data: { apiVersion: e.apiVersion, kind: obj.kind, deprecatedIn: e.deprecatedIn, removedIn: e.removedIn, target, replacement, notes, source: e.source },
      });
    }
  },
});
