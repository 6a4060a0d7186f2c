/**
 * Pods that operators create from custom resources in the input.
 *
 * A Service, NetworkPolicy or PodDisruptionBudget often selects pods that no
 * Deployment or StatefulSet in the input describes: the Prometheus operator
 * creates them from a `Prometheus` resource, CloudNativePG from a `Cluster`,
 * and so on. Cross-object rules ask here before saying that a selector
 * "selects nothing":
 *
 * - a custom resource of a known operator contributes the labels its pods get
 *   (the table below, extensible with `settings.podCreatingResources`);
 * - any other custom resource whose spec holds a pod template
 *   (`…template.metadata.labels`, `podTemplate.metadata.labels`,
 *   `podMetadata.labels`) contributes those labels;
 * - any other custom resource, unless of a kind known to create no pods
 *   (ServiceMonitor, Certificate, VirtualService, …), may create pods whose
 *   labels are unknown: a selector that matches nothing in its namespace is
 *   then not a warning, at most an info.
 */
import type { ObjectIndex } from './index.js';
import { isObj, type ManifestObject, type Obj } from './object.js';

type MO = ManifestObject<Obj>;

export interface PodSource {
  /** the custom resource the pods come from */
  obj: MO;
  /** label sets its pods are known to carry (the operator may add more labels; a selector matching a set matches the pods) */
  labelSets: Obj[];
  /** true when the labels come from the operator table (built-in or configured) */
  known: boolean;
}

/** One entry of `settings.podCreatingResources` (and of the built-in table). */
export interface PodCreatingResource {
  /** API group of the custom resource, e.g. `monitoring.coreos.com` */
  group: string;
  kind: string;
  /** labels the operator puts on the pods; `{{name}}` in a value is the resource's name */
  labels?: Record<string, string>;
  /** dot paths (from the resource root; `*` for every list item or map value) to maps of further pod labels */
  labelPaths?: string[];
  /** label sets the operator adds per pod role at run time (e.g. primary/replica); each gives one more label set */
  variants?: Record<string, string>[];
}

/**
 * Built-in table, from each operator's source or documentation:
 *
 * - prometheus-operator (monitoring.coreos.com) Prometheus: the StatefulSet's
 *   pods get `app.kubernetes.io/name: prometheus`, `app.kubernetes.io/instance`,
 *   `app.kubernetes.io/managed-by: prometheus-operator`, `prometheus: <name>`,
 *   `operator.prometheus.io/name: <name>`, `operator.prometheus.io/shard`
 *   (pkg/prometheus/common.go: PrometheusNameLabelName, ShardLabelName,
 *   PrometheusK8sLabelName) plus `spec.podMetadata.labels`; releases before
 *   v0.50 set `app: prometheus` instead. Alertmanager likewise with
 *   `alertmanager: <name>` and `app.kubernetes.io/name: alertmanager` (older:
 *   `app: alertmanager`; pkg/alertmanager/statefulset.go). ThanosRuler:
 *   `thanos-ruler: <name>`, `app.kubernetes.io/name: thanos-ruler`.
 * - CloudNativePG (postgresql.cnpg.io) Cluster: `cnpg.io/cluster: <name>`
 *   (docs: https://cloudnative-pg.io/documentation/1.23/labels_annotations/),
 *   `cnpg.io/instanceRole: primary|replica` (and the older `role`) by role;
 *   Pooler: `cnpg.io/poolerName: <name>`.
 * - Zalando postgres-operator (acid.zalan.do) postgresql: `cluster-name: <name>`
 *   (cluster_name_label default) and `application: spilo` (cluster_labels
 *   default), plus `spilo-role` set at run time (docs/reference/operator_parameters.md;
 *   zalando/postgres-operator#782).
 * - ECK (elasticsearch.k8s.elastic.co) Elasticsearch:
 *   `elasticsearch.k8s.elastic.co/cluster-name: <name>`,
 *   `common.k8s.elastic.co/type: elasticsearch`, plus
 *   `spec.nodeSets[].podTemplate.metadata.labels`; Kibana (kibana.k8s.elastic.co):
 *   `kibana.k8s.elastic.co/name: <name>`, `common.k8s.elastic.co/type: kibana`
 *   (https://www.elastic.co/guide/en/cloud-on-k8s/current/k8s-customize-pods.html).
 * - Strimzi (kafka.strimzi.io) Kafka: `strimzi.io/cluster: <name>`,
 *   `strimzi.io/kind: Kafka`, `strimzi.io/name: <name>-kafka` for brokers
 *   (`<name>-zookeeper`, `<name>-entity-operator` for the others),
 *   `app.kubernetes.io/instance: <name>`, `app.kubernetes.io/managed-by:
 *   strimzi-cluster-operator`, plus `spec.kafka.template.pod.metadata.labels`.
 */
const BUILTIN: PodCreatingResource[] = [
  {
    group: 'monitoring.coreos.com',
    kind: 'Prometheus',
    labels: {
      'app.kubernetes.io/name': 'prometheus',
      'app.kubernetes.io/instance': '{{name}}',
      'app.kubernetes.io/managed-by': 'prometheus-operator',
      prometheus: '{{name}}',
      'operator.prometheus.io/name': '{{name}}',
      'operator.prometheus.io/shard': '0',
      app: 'prometheus',
    },
    labelPaths: ['spec.podMetadata.labels'],
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'PrometheusAgent',
    labels: {
      'app.kubernetes.io/name': 'prometheus-agent',
      'app.kubernetes.io/instance': '{{name}}',
      'app.kubernetes.io/managed-by': 'prometheus-operator',
      'operator.prometheus.io/name': '{{name}}',
      'operator.prometheus.io/shard': '0',
    },
    labelPaths: ['spec.podMetadata.labels'],
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'Alertmanager',
    labels: {
      'app.kubernetes.io/name': 'alertmanager',
      'app.kubernetes.io/instance': '{{name}}',
      'app.kubernetes.io/managed-by': 'prometheus-operator',
      alertmanager: '{{name}}',
      app: 'alertmanager',
    },
    labelPaths: ['spec.podMetadata.labels'],
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'ThanosRuler',
    labels: { 'app.kubernetes.io/name': 'thanos-ruler', 'app.kubernetes.io/instance': '{{name}}', 'app.kubernetes.io/managed-by': 'prometheus-operator', 'thanos-ruler': '{{name}}' },
    labelPaths: ['spec.podMetadata.labels'],
  },
  {
    group: 'postgresql.cnpg.io',
    kind: 'Cluster',
    labels: { 'cnpg.io/cluster': '{{name}}', 'cnpg.io/podRole': 'instance' },
    labelPaths: ['spec.inheritedMetadata.labels'],
    variants: [
      { 'cnpg.io/instanceRole': 'primary', role: 'primary' },
      { 'cnpg.io/instanceRole': 'replica', role: 'replica' },
    ],
  },
  { group: 'postgresql.cnpg.io', kind: 'Pooler', labels: { 'cnpg.io/poolerName': '{{name}}', 'cnpg.io/podRole': 'pooler' }, labelPaths: ['spec.template.metadata.labels'] },
  { group: 'acid.zalan.do', kind: 'postgresql', labels: { 'cluster-name': '{{name}}', application: 'spilo' }, variants: [{ 'spilo-role': 'master' }, { 'spilo-role': 'replica' }] },
  {
    group: 'elasticsearch.k8s.elastic.co',
    kind: 'Elasticsearch',
    labels: { 'elasticsearch.k8s.elastic.co/cluster-name': '{{name}}', 'common.k8s.elastic.co/type': 'elasticsearch' },
    labelPaths: ['spec.nodeSets.*.podTemplate.metadata.labels'],
  },
  {
    group: 'kibana.k8s.elastic.co',
    kind: 'Kibana',
    labels: { 'kibana.k8s.elastic.co/name': '{{name}}', 'common.k8s.elastic.co/type': 'kibana' },
    labelPaths: ['spec.podTemplate.metadata.labels'],
  },
  {
    group: 'kafka.strimzi.io',
    kind: 'Kafka',
    labels: {
      'strimzi.io/cluster': '{{name}}',
      'strimzi.io/kind': 'Kafka',
      'strimzi.io/name': '{{name}}-kafka',
      'app.kubernetes.io/instance': '{{name}}',
      'app.kubernetes.io/managed-by': 'strimzi-cluster-operator',
      'app.kubernetes.io/name': 'kafka',
    },
    labelPaths: ['spec.kafka.template.pod.metadata.labels'],
  },
];

/** Extra Strimzi Kafka label sets (ZooKeeper and entity operator pods). */
const STRIMZI_COMPONENTS = ['zookeeper', 'entity-operator'];

/** API groups and kinds of custom resources known not to create pods. */
const NO_PODS_GROUPS = new Set([
  'cert-manager.io',
  'acme.cert-manager.io',
  'bitnami.com',
  'external-secrets.io',
  'networking.istio.io',
  'security.istio.io',
  'telemetry.istio.io',
  'traefik.io',
  'traefik.containo.us',
  'projectcontour.io',
  'kyverno.io',
  'snapshot.storage.k8s.io',
  'gateway.networking.k8s.io',
  'autoscaling.k8s.io',
  'policy.linkerd.io',
  'split.smi-spec.io',
  'cilium.io',
  'crd.projectcalico.org',
  'projectcalico.org',
  'templates.gatekeeper.sh',
  'constraints.gatekeeper.sh',
]);
const NO_PODS_KINDS = new Set([
  'monitoring.coreos.com/ServiceMonitor',
  'monitoring.coreos.com/PodMonitor',
  'monitoring.coreos.com/PrometheusRule',
  'monitoring.coreos.com/Probe',
  'monitoring.coreos.com/AlertmanagerConfig',
  'monitoring.coreos.com/ScrapeConfig',
  'argoproj.io/Application',
  'argoproj.io/AppProject',
  'argoproj.io/ApplicationSet',
  'argoproj.io/AnalysisTemplate',
  'argoproj.io/ClusterAnalysisTemplate',
  'argoproj.io/WorkflowTemplate',
  'argoproj.io/ClusterWorkflowTemplate',
  'keda.sh/ScaledObject',
  'keda.sh/TriggerAuthentication',
  'postgresql.cnpg.io/Backup',
  'postgresql.cnpg.io/ScheduledBackup',
  'postgresql.cnpg.io/Database',
  'kafka.strimzi.io/KafkaTopic',
  'kafka.strimzi.io/KafkaUser',
  'kafka.strimzi.io/KafkaNodePool',
  'kafka.strimzi.io/KafkaRebalance',
]);

/** Whether an API group is Kubernetes' own (core, apps, *.k8s.io, …) rather than a custom resource's. */
function isBuiltinGroup(group: string): boolean {
  return group === '' || !group.includes('.') || (group.endsWith('.k8s.io') && group !== 'gateway.networking.k8s.io' && group !== 'snapshot.storage.k8s.io' && group !== 'autoscaling.k8s.io');
}

export function isCustomResource(o: MO): boolean {
  return o.group !== '' && !isBuiltinGroup(o.group) && o.kind !== 'CustomResourceDefinition';
}

/** Values at a dot path; `*` walks every list item or map value. */
function at(root: unknown, segs: string[]): unknown[] {
  let cur: unknown[] = [root];
  for (const s of segs) {
    const next: unknown[] = [];
    for (const c of cur) {
      if (s === '*') {
        if (Array.isArray(c)) next.push(...c);
        else if (isObj(c)) next.push(...Object.values(c));
      } else if (isObj(c) && Object.prototype.hasOwnProperty.call(c, s)) next.push(c[s]);
    }
    cur = next;
  }
  return cur;
}

function stringMap(v: unknown): Obj | undefined {
  if (!isObj(v)) return undefined;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
  return Object.keys(out).length ? out : undefined;
}

/** Pod label maps found in a custom resource's spec: `…template.metadata.labels`, `podTemplate.metadata.labels`, `podMetadata.labels` (depth-limited). */
function templateLabels(spec: unknown): Obj[] {
  const out: Obj[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 6) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    if (!isObj(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (!isObj(x)) {
        if (Array.isArray(x)) walk(x, depth + 1);
        continue;
      }
      if ((k === 'template' || k === 'podTemplate' || k === 'pod') && isObj(x.metadata)) {
        const l = stringMap(x.metadata.labels);
        if (l) out.push(l);
      } else if (k === 'podMetadata') {
        const l = stringMap(x.labels);
        if (l) out.push(l);
      }
      walk(x, depth + 1);
    }
  };
  walk(spec, 0);
  return out;
}

function parseConfigured(settings: Readonly<Record<string, unknown>>): PodCreatingResource[] {
  const raw = settings.podCreatingResources;
  if (!Array.isArray(raw)) return [];
  const out: PodCreatingResource[] = [];
  for (const r of raw) {
    if (!isObj(r) || typeof r.kind !== 'string' || typeof r.group !== 'string') continue;
    const labels = stringMap(r.labels) as Record<string, string> | undefined;
    const labelPaths = Array.isArray(r.labelPaths) ? r.labelPaths.filter((p): p is string => typeof p === 'string') : undefined;
    const variants = Array.isArray(r.variants) ? r.variants.map((v) => stringMap(v) as Record<string, string> | undefined).filter((v): v is Record<string, string> => v !== undefined) : undefined;
    out.push({ group: r.group, kind: r.kind, labels, labelPaths, variants });
  }
  return out;
}

function expand(labels: Record<string, string> | undefined, name: string): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(labels ?? {})) out[k] = v.split('{{name}}').join(name);
  return out;
}

function sourceOf(o: MO, table: Map<string, PodCreatingResource>): PodSource | undefined {
  if (!isCustomResource(o)) return undefined;
  const entry = table.get(`${o.group}/${o.kind}`);
  if (entry) {
    const base = expand(entry.labels, o.name);
    const extra: Obj = {};
    for (const p of entry.labelPaths ?? []) for (const v of at(o.data, p.split('.'))) Object.assign(extra, stringMap(v) ?? {});
    // the operator's own labels win over user-given pod labels
    const sets: Obj[] = [{ ...extra, ...base }];
    for (const v of entry.variants ?? []) sets.push({ ...extra, ...base, ...expand(v, o.name) });
    if (o.group === 'kafka.strimzi.io' && o.kind === 'Kafka') {
      for (const c of STRIMZI_COMPONENTS) sets.push({ ...base, 'strimzi.io/name': `${o.name}-${c}`, 'app.kubernetes.io/name': c });
    }
    return { obj: o, labelSets: sets, known: true };
  }
  if (NO_PODS_GROUPS.has(o.group) || NO_PODS_KINDS.has(`${o.group}/${o.kind}`)) return undefined;
  return { obj: o, labelSets: templateLabels(o.data.spec), known: false };
}

// keyed by the index's list of the namespace's custom resources, which each call reads (so that a recording index sees every caller read it)
const memo = new WeakMap<readonly unknown[], WeakMap<object, PodSource[]>>();

/**
 * Custom resources in a namespace that may create pods, with the labels of
 * those pods when known. Memoised per index, settings and namespace.
 */
export function podSources(index: ObjectIndex, namespace: string, settings: Readonly<Record<string, unknown>> = {}): PodSource[] {
  const crs = index.customResources(namespace);
  if (crs.length === 0) return [];
  let bySettings = memo.get(crs);
  if (!bySettings) memo.set(crs, (bySettings = new WeakMap()));
  let out = bySettings.get(settings);
  if (!out) {
    const table = new Map<string, PodCreatingResource>();
    for (const e of [...BUILTIN, ...parseConfigured(settings)]) table.set(`${e.group}/${e.kind}`, e);
    out = [];
    for (const o of crs) {
      const s = sourceOf(o, table);
      if (s) out.push(s);
    }
    bySettings.set(settings, out);
  }
  return out;
}

/** The pod sources whose known label sets a selector (as a predicate over labels) matches. */
export function sourcesMatching(sources: PodSource[], matches: (labels: Obj) => boolean): PodSource[] {
  return sources.filter((s) => s.labelSets.some((l) => matches(l)));
}

/** `Kind/name, Kind/name and N more` for messages. */
export function describeSources(sources: PodSource[], max = 2): string {
  const list = sources.map((s) => `${s.obj.kind}/${s.obj.name}`);
  return list.length > max ? `${list.slice(0, max).join(', ')} and ${String(list.length - max)} more` : list.join(', ');
}
