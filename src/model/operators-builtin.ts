/** The built-in table of operators' custom resources that create pods, and the groups and kinds that create none. */
import type { PodCreatingResource } from './operators.js';

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
export const BUILTIN: PodCreatingResource[] = [
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
    labels: {
      'app.kubernetes.io/name': 'thanos-ruler',
      'app.kubernetes.io/instance': '{{name}}',
      'app.kubernetes.io/managed-by': 'prometheus-operator',
      'thanos-ruler': '{{name}}',
    },
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
  {
    group: 'postgresql.cnpg.io',
    kind: 'Pooler',
    labels: { 'cnpg.io/poolerName': '{{name}}', 'cnpg.io/podRole': 'pooler' },
    labelPaths: ['spec.template.metadata.labels'],
  },
  {
    group: 'acid.zalan.do',
    kind: 'postgresql',
    labels: { 'cluster-name': '{{name}}', application: 'spilo' },
    variants: [{ 'spilo-role': 'master' }, { 'spilo-role': 'replica' }],
  },
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
export const STRIMZI_COMPONENTS = ['zookeeper', 'entity-operator'];

/** API groups and kinds of custom resources known not to create pods. */
export const NO_PODS_GROUPS = new Set([
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
export const NO_PODS_KINDS = new Set([
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
