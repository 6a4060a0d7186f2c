import { defineRule, type FixFunction, type ReportDescriptor } from '../../src/engine/rule.js';
import { isObj, type ManifestObject, type Obj } from '../../src/model/object.js';
import type { FixValue } from '../../src/fix/edits.js';
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
    for (const e of loadData<{ entries: Entry[] }>('deprecations.json').entries)
      for (const k of e.kinds) table.set(`${e.apiVersion}/${k}`, e);
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
    remediation:
      'Change `apiVersion` to the replacement the message names and apply the field changes it lists; `kubectl convert` can rewrite a manifest.',
    tags: ['upgrade', 'deprecation', 'correctness'],
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
    fixable: true,
    hasSuggestions: true,
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
        ...migration(obj, e),
      });
    } else if (t >= minor(e.deprecatedIn)) {
      ctx.report({
        path: ['apiVersion'],
        messageId: 'deprecated',
        data: {
          apiVersion: e.apiVersion,
          kind: obj.kind,
          deprecatedIn: e.deprecatedIn,
          removedIn: e.removedIn,
          target,
          replacement,
          notes,
          source: e.source,
        },
        ...migration(obj, e),
      });
    }
  },
});

/**
 * Replacements that read every field of the old version the same way (the
 * migration guide lists no field change): `--fix` rewrites the apiVersion.
 * `apiVersion/kind`, or `apiVersion/*`.
 */
const FIELD_COMPATIBLE = new Set([
  'extensions/v1beta1/NetworkPolicy',
  'apps/v1beta2/ControllerRevision',
  'apps/v1beta1/ControllerRevision',
  'apiregistration.k8s.io/v1beta1/APIService',
  'authentication.k8s.io/v1beta1/TokenReview',
  'coordination.k8s.io/v1beta1/Lease',
  'networking.k8s.io/v1beta1/IngressClass',
  'rbac.authorization.k8s.io/v1beta1/*',
  'scheduling.k8s.io/v1beta1/PriorityClass',
  'storage.k8s.io/v1beta1/*',
  'batch/v1beta1/CronJob',
  'node.k8s.io/v1beta1/RuntimeClass',
  'flowcontrol.apiserver.k8s.io/v1beta1/FlowSchema',
  'flowcontrol.apiserver.k8s.io/v1beta2/FlowSchema',
  'flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema',
  'autoscaling/v2beta2/HorizontalPodAutoscaler',
]);

const WORKLOADS = new Set(['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet']);

/** The apiVersion rewrite as a fix where it is field-compatible; a suggestion where fields move or defaults differ. */
function migration(obj: ManifestObject<Obj>, e: Entry): Pick<ReportDescriptor, 'fix' | 'suggest'> {
  const to = e.replacement;
  if (!to || !/^[a-z0-9.-]*\/?v\d+$/.test(to)) return {};
  const setVersion: FixFunction = (f) => f.set(['apiVersion'], to);
  const spec = isObj(obj.data.spec) ? obj.data.spec : undefined;
  if (FIELD_COMPATIBLE.has(`${e.apiVersion}/${obj.kind}`) || FIELD_COMPATIBLE.has(`${e.apiVersion}/*`)) return { fix: setVersion };
  if (e.apiVersion === 'policy/v1beta1' && obj.kind === 'PodDisruptionBudget') {
    // an empty selector selects no pods in v1beta1 and every pod in v1
    const sel = spec && isObj(spec.selector) ? spec.selector : undefined;
    const nonEmpty =
      sel &&
      ((isObj(sel.matchLabels) && Object.keys(sel.matchLabels).length > 0) ||
        (Array.isArray(sel.matchExpressions) && sel.matchExpressions.length > 0));
    return nonEmpty ? { fix: setVersion } : {};
  }
  if (WORKLOADS.has(obj.kind) && to === 'apps/v1') {
    if (spec && isObj(spec.selector)) {
      // apps/v1beta2 has apps/v1's defaults; extensions/v1beta1 and apps/v1beta1 have others (revisionHistoryLimit, rolling update)
      if (e.apiVersion === 'apps/v1beta2') return { fix: setVersion };
      return {
        suggest: [
          {
            desc: `Change apiVersion to ${to} (its defaults differ: revisionHistoryLimit, the rolling update surge and unavailability, progressDeadlineSeconds; set them if you relied on the old ones)`,
            fix: setVersion,
          },
        ],
      };
    }
    const tpl = spec && isObj(spec.template) ? spec.template : undefined;
    const labels = tpl && isObj(tpl.metadata) && isObj(tpl.metadata.labels) ? tpl.metadata.labels : undefined;
    if (!labels || Object.keys(labels).length === 0 || !Object.values(labels).every((v) => typeof v === 'string')) return {};
    return {
      suggest: [
        {
          desc: `Change apiVersion to ${to} and add the selector it requires, from the pod template's labels`,
          fix: (f) => [
            setVersion(f) as ReturnType<typeof f.set>,
            f.set(['spec', 'selector'], { matchLabels: labels as Record<string, string> }),
          ],
        },
      ],
    };
  }
  if (obj.kind === 'Ingress' && to === 'networking.k8s.io/v1') return ingressSuggestion(obj, to);
  if (obj.kind === 'HorizontalPodAutoscaler' && e.apiVersion === 'autoscaling/v2beta1' && to === 'autoscaling/v2')
    return hpaSuggestion(obj, to);
  return {};
}

/** An Ingress v1beta1 backend as a v1 backend, or undefined when its shape is not the plain serviceName/servicePort one. */
function v1Backend(b: unknown): FixValue | undefined {
  if (!isObj(b)) return undefined;
  const keys = Object.keys(b);
  if (keys.some((k) => k !== 'serviceName' && k !== 'servicePort') || typeof b.serviceName !== 'string') return undefined;
  const port = b.servicePort;
  if (typeof port === 'number' && Number.isInteger(port)) return { service: { name: b.serviceName, port: { number: port } } };
  if (typeof port === 'string' && port !== '') return { service: { name: b.serviceName, port: { name: port } } };
  return undefined;
}

/** Ingress v1beta1 → v1: the apiVersion, `backend` → `defaultBackend`, each backend's new shape, pathType ImplementationSpecific (the v1beta1 default). */
function ingressSuggestion(obj: ManifestObject<Obj>, to: string): Pick<ReportDescriptor, 'suggest'> {
  const spec = isObj(obj.data.spec) ? obj.data.spec : {};
  const edits: ((f: Parameters<FixFunction>[0]) => ReturnType<FixFunction>)[] = [(f) => f.set(['apiVersion'], to)];
  if (spec.backend !== undefined) {
    const nb = v1Backend(spec.backend);
    if (!nb) return {};
    edits.push(
      (f) => f.replaceKey(['spec', 'backend'], 'defaultBackend'),
      (f) => f.replaceValue(['spec', 'backend'], nb),
    );
  }
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    const paths = isObj(r) && isObj(r.http) && Array.isArray(r.http.paths) ? r.http.paths : [];
    for (let j = 0; j < paths.length; j++) {
      const p = paths[j];
      if (!isObj(p)) return {};
      const nb = v1Backend(p.backend);
      if (!nb) return {};
      const base = ['spec', 'rules', i, 'http', 'paths', j];
      edits.push((f) => f.replaceValue([...base, 'backend'], nb));
      if (p.pathType === undefined) edits.push((f) => f.set([...base, 'pathType'], 'ImplementationSpecific'));
    }
  }
  return {
    suggest: [
      {
        desc: `Change apiVersion to ${to} and move the fields: backend → defaultBackend, serviceName/servicePort → service.name/service.port, pathType ImplementationSpecific (the v1beta1 default)`,
        fix: (f) => edits.flatMap((e) => e(f)),
      },
    ],
  };
}

/** An autoscaling/v2beta1 metric source as autoscaling/v2 writes it (resource and pods metrics), or undefined. */
function v2Metric(type: string, src: unknown): FixValue | undefined {
  if (!isObj(src)) return undefined;
  const keys = Object.keys(src);
  const only = (allowed: string[]): boolean => keys.every((k) => allowed.includes(k));
  const target = (): FixValue | undefined => {
    if (typeof src.targetAverageUtilization === 'number' && src.targetAverageValue === undefined)
      return { type: 'Utilization', averageUtilization: src.targetAverageUtilization };
    if (
      (typeof src.targetAverageValue === 'string' || typeof src.targetAverageValue === 'number') &&
      src.targetAverageUtilization === undefined
    )
      return { type: 'AverageValue', averageValue: src.targetAverageValue };
    return undefined;
  };
  if (
    (type === 'resource' || type === 'containerResource') &&
    typeof src.name === 'string' &&
    only(['name', 'container', 'targetAverageUtilization', 'targetAverageValue'])
  ) {
    const t = target();
    if (!t || (type === 'containerResource') !== (typeof src.container === 'string')) return undefined;
    return type === 'containerResource' ? { name: src.name, container: src.container as string, target: t } : { name: src.name, target: t };
  }
  if (
    type === 'pods' &&
    typeof src.metricName === 'string' &&
    only(['metricName', 'selector', 'targetAverageValue']) &&
    src.targetAverageValue !== undefined
  ) {
    const metric: Record<string, FixValue> = { name: src.metricName };
    if (src.selector !== undefined) metric.selector = src.selector as FixValue;
    return { metric, target: { type: 'AverageValue', averageValue: src.targetAverageValue as FixValue } };
  }
  return undefined;
}

/** HPA autoscaling/v2beta1 → v2: the apiVersion and each metric's target moved into `target` (resource and pods metrics only). */
function hpaSuggestion(obj: ManifestObject<Obj>, to: string): Pick<ReportDescriptor, 'suggest'> {
  const spec = isObj(obj.data.spec) ? obj.data.spec : {};
  const metrics = Array.isArray(spec.metrics) ? spec.metrics : [];
  const edits: ((f: Parameters<FixFunction>[0]) => ReturnType<FixFunction>)[] = [(f) => f.set(['apiVersion'], to)];
  for (let i = 0; i < metrics.length; i++) {
    const m = metrics[i];
    if (!isObj(m) || typeof m.type !== 'string') return {};
    const field = m.type.charAt(0).toLowerCase() + m.type.slice(1);
    const v2 = v2Metric(field, m[field]);
    if (!v2) return {};
    edits.push((f) => f.replaceValue(['spec', 'metrics', i, field], v2));
  }
  return {
    suggest: [
      {
        desc: `Change apiVersion to ${to} and move each metric's target into target (type Utilization or AverageValue)`,
        fix: (f) => edits.flatMap((e) => e(f)),
      },
    ],
  };
}
