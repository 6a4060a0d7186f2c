import { defineRule } from '../../src/engine/rule.js';
import { isSubstitution } from '../../src/model/substitution.js';
import { asArray, isObj, own, type ManifestObject, type Obj } from '../../src/model/object.js';
import { containers, podLabels } from '../../src/model/workload.js';
import { closest } from '../../src/util/strings.js';
import { sameDirectory, whereIs, type ObjectIndex } from '../../src/model/index.js';
import { describeSources, podSources, sourcesMatching } from '../../src/model/operators.js';
import { mapSelectorMatches } from '../../src/util/selector.js';
import { sampleList, sampleOf } from '../../src/util/sample.js';
import { bestAgreeing, closestKey, labelStr, nearMiss } from './labels.js';

/** `Kind/name, … and N more`: only the quoted samples are formatted. */
const names = (ws: ManifestObject<Obj>[]): string => sampleOf(ws, (w) => `${w.kind}/${w.name}`);

/** Container port names per workload, memoised: every Service selecting the workload asks. */
const portNamesMemo = new WeakMap<ManifestObject<Obj>, Set<string>>();

function portNames(w: ManifestObject<Obj>): Set<string> {
  const memo = portNamesMemo.get(w);
  if (memo) return memo;
  const out = new Set<string>();
  portNamesMemo.set(w, out);
  for (const c of containers(w, ['sidecar', 'regular'])) {
    for (const p of asArray(c.container.ports)) if (isObj(p) && typeof p.name === 'string') out.add(p.name);
  }
  return out;
}

/**
 * Labels that controllers add to the pods they create, which never appear in
 * the pod template: a selector on them matches at run time.
 */
const CONTROLLER_LABELS: Record<string, (w: ManifestObject<Obj>, v: string) => boolean> = {
  'statefulset.kubernetes.io/pod-name': (w, v) => w.kind === 'StatefulSet' && new RegExp(`^${escapeRe(w.name)}-\\d+$`).test(v),
  'apps.kubernetes.io/pod-index': (w, v) => w.kind === 'StatefulSet' && /^\d+$/.test(v),
  'controller-revision-hash': (w) => w.kind === 'StatefulSet' || w.kind === 'DaemonSet',
  'pod-template-hash': (w) => w.kind === 'Deployment' || w.kind === 'ReplicaSet',
  'job-name': (w, v) => w.kind === 'Job' && v === w.name,
  'batch.kubernetes.io/job-name': (w, v) => w.kind === 'Job' && v === w.name,
};

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether a Service selector selects the workload's pods, counting controller-added labels. */
function selects(selector: Obj, w: ManifestObject<Obj>): boolean {
  const labels = podLabels(w);
  return Object.keys(selector).every((k) => {
    const want = labelStr(selector[k]);
    if (want === undefined) return false;
    if (Object.hasOwn(labels, k)) return labelStr(own(labels, k)) === want;
    const ctl = Object.hasOwn(CONTROLLER_LABELS, k) ? CONTROLLER_LABELS[k] : undefined;
    return ctl !== undefined && ctl(w, want);
  });
}

/**
 * Workloads (in index order) that may match the selector, in one namespace or, without it, in every
 * namespace: those whose pod labels hold the first selector entry that is not a controller-added label;
 * every workload when there is none.
 */
function candidates(index: ObjectIndex, selector: Obj, namespace?: string): ManifestObject<Obj>[] {
  const k = Object.keys(selector).find((key) => !Object.hasOwn(CONTROLLER_LABELS, key));
  if (k === undefined) return index.workloads(namespace);
  const want = labelStr(selector[k]);
  if (want === undefined) return [];
  return index.workloadsWithLabel(k, want, namespace);
}

const CLOSEST_DIFFERS =
  'Service "{{service}}" selects no pods in the input (selector {{selector}}): the closest, {{workload}} ({{where}}), {{have}} in its pod template, so the Service has no endpoints and clients get connection errors; make the selector match the pod template labels.{{other}}{{crs}}';
const NO_PODS =
  'Service "{{service}}" selects no pods in the input: no pod template in namespace "{{namespace}}" has all of {{selector}}, so the Service has no endpoints and clients get connection errors; make the selector match the pod template labels (or pass the workload files too).{{other}}{{crs}}';

export default defineRule({
  meta: {
    id: 'service-selector',
    severity: 'warning',
    category: 'correctness',
    description:
      "A Service's selector must select a pod template in the input, and a named `targetPort` must be declared by the selected containers.",
    rationale:
      'A Service whose selector matches no pod has no endpoints: clients get "connection refused" or 503s from the ingress, and nothing in `kubectl apply` complains. The usual causes are a typo in a label value, a label renamed in the Deployment but not in the Service, or a selector copied from another app. ' +
      "A `targetPort` given by name is resolved per pod against the container ports' `name`s; when no selected container declares that name, the pod is left out of the endpoints and the Service is just as empty. Jobs and CronJobs among the selected workloads (a Helm hook Job that shares the app's labels) run to completion and are not meant to serve, so only the other workloads must declare the port.",
    remediation:
      "Make the Service's `spec.selector` a subset of the pod template's labels (`spec.template.metadata.labels`), and give the container port the name used as `targetPort` (`ports: [{name: http, containerPort: 8080}]`), or use the port number. " +
      "To avoid false positives when only some files are linted, the selector is only checked when the Service's namespace has workloads in the input (pass the rest with `--context`). " +
      'Of several workloads of one kind, namespace and name (per-provider variants, overlays, samples), the one nearest to the Service counts. "Selects no pods" is an info when no workload of the namespace is in the Service\'s directory, when the namespace holds custom resources whose operator may create the pods, or when nothing resembles the selector (no workload of the namespace agrees with one of its entries or misses one by a typo, and none in another namespace matches it: the pods are as likely deployed by a chart or from another repository); pods of known operators (Prometheus, CloudNativePG, ECK, Strimzi, …, and `settings.podCreatingResources`) and of custom resources with a pod template are matched by their labels.',
    tags: ['correctness', 'cross-object', 'networking', 'kube-linter'],
    appliesTo: ['core/Service'],
    messages: {
      closestDiffers: CLOSEST_DIFFERS,
      /** an operator may create the selected pods, or no workload is in this directory */
      closestDiffersWeak: { text: CLOSEST_DIFFERS, severity: 'info' },
      runtimeLabel: {
        text: 'Service "{{service}}" selects no pods in the input (selector {{selector}}): the closest, {{workload}} ({{where}}), has every label of it but {{key}} in its pod template. Pods that get {{key}} at run time (a leader or role label the application sets itself) are selected then; if nothing sets it, the Service has no endpoints: add {{key}} to the pod template or drop it from the selector.{{other}}{{crs}}',
        severity: 'info',
      },
      noPods: NO_PODS,
      noPodsWeak: { text: NO_PODS, severity: 'info' },
      targetPortAlternative: {
        text: 'targetPort "{{port}}" is not declared by {{lacking}} nearest to this Service, but {{alternative}} at {{where}} declares it; the input holds several definitions of it, so make sure the one applied with this Service names the port "{{port}}".',
        severity: 'info',
      },
      targetPortElsewhere: {
        text: 'targetPort "{{port}}" is not declared by {{lacking}} in other directories, which the Service\'s selector also matches: if they are applied with this Service, their pods are left out of the endpoints; narrow the selector or declare the port there.{{hint}}',
        severity: 'info',
      },
      targetPortNone: {
        text: 'targetPort "{{port}}" is not the name of any container port in the selected pods ({{selected}}), so no pod is added to the endpoints and the port receives no traffic; name the container port "{{port}}" or use its number.{{hint}}',
        severity: 'error',
      },
      targetPortSome:
        'targetPort "{{port}}" is not declared by {{lacking}}, which the Service also selects: those pods are left out of the endpoints; declare the port there or narrow the selector.{{hint}}',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
  },
  check(obj, ctx) {
    const spec = obj.data.spec;
    if (!isObj(spec) || spec.type === 'ExternalName') return;
    const selector = spec.selector;
    if (!isObj(selector) || Object.keys(selector).length === 0) return;
    if (!ctx.index.hasWorkloads(obj.namespace, ['PodTemplate'])) return;
    // the workloads holding the selector's first plain label (a superset of the selected ones, in index order), not every workload of the namespace
    // of several workloads of one identity (per-provider variants, overlays, samples), the one nearest to the Service
    const selected = ctx.index.nearestEach(
      candidates(ctx.index, selector, obj.namespace).filter((w) => w.kind !== 'PodTemplate' && selects(selector, w)),
      obj,
    );
    const entries = Object.keys(selector);
    // pods an operator creates from a custom resource in the namespace (Prometheus, CloudNativePG Cluster, …)
    const sources = podSources(ctx.index, obj.namespace, ctx.settings);
    const operatorSelected = sourcesMatching(sources, (l) => mapSelectorMatches(selector, l));

    if (selected.length === 0) {
      if (operatorSelected.length) return;
      // custom resources whose pods' labels are unknown may be what the Service selects: not more than an info
      // no workload in the Service's own directory: the pods are likely defined elsewhere (another tutorial of a samples
      // repository, another overlay), so the workloads of the namespace in the input are weak evidence: info
      const far = !ctx.index.hasWorkloadsInDirectory(obj.namespace, obj, ['PodTemplate']);
      const weak = sources.length > 0 || far;
      const crs =
        (sources.length
          ? ` Namespace "${obj.namespace}" holds ${describeSources(sources)}, whose operator may create the selected pods.`
          : '') + (far ? ' No workload of the namespace is in this directory.' : '');
      // the workload agreeing with most selector entries, to point at the one entry that differs
      const bestW = bestAgreeing(ctx.index, obj.namespace, selector, entries, () => ctx.index.workloads(obj.namespace, ['PodTemplate']));
      const best = bestW ? { w: bestW } : undefined;
      const elsewhere = [
        ...new Set(
          candidates(ctx.index, selector)
            .filter((w) => w.namespace !== obj.namespace && w.kind !== 'PodTemplate' && selects(selector, w))
            .map((w) => `${w.kind}/${w.name} in namespace "${w.namespace}"`),
        ),
      ];
      const other = elsewhere.length
        ? ` It does match ${sampleList(elsewhere, 2)}, but a Service only selects pods in its own namespace.`
        : '';
      // nothing in the namespace agrees with the selector: without a near miss (a typo) or a match in another
      // namespace, the pods are as likely deployed by other means (a chart, another repository): not more than an info
      const unrelated =
        !best && elsewhere.length === 0 && !nearMiss(ctx.index.workloads(obj.namespace, ['PodTemplate']), selector, entries);
      const sel = sampleList(
        entries.map((k) => `${k}=${labelStr(selector[k]) ?? '?'}`),
        4,
      );
      if (best) {
        const labels = podLabels(best.w);
        const k = entries.find((key) => !(Object.hasOwn(labels, key) && labelStr(own(labels, key)) === labelStr(selector[key])))!;
        const agrees = (key: string) => Object.hasOwn(labels, key) && labelStr(own(labels, key)) === labelStr(selector[key]);
        // every entry but one agrees, and that one is a label the template lacks (no typo of a key): the pods may get it
        // at run time (leader election, a role the application sets itself), which the input cannot show
        if (
          entries.length > 1 &&
          !Object.hasOwn(labels, k) &&
          !Object.hasOwn(CONTROLLER_LABELS, k) &&
          closestKey(k, labels) === '' &&
          entries.every((e) => e === k || agrees(e))
        ) {
          ctx.report({
            path: ['spec', 'selector', k],
            messageId: 'runtimeLabel',
            data: {
              service: obj.name,
              selector: sel,
              workload: `${best.w.kind}/${best.w.name}`,
              where: whereIs(best.w),
              key: k,
              other,
              crs,
            },
          });
          return;
        }
        const have = Object.hasOwn(labels, k)
          ? `has ${k}=${labelStr(own(labels, k)) ?? '(not a string)'}`
          : `has no label ${k}${closestKey(k, labels)}`;
        ctx.report({
          path: ['spec', 'selector', k],
          messageId: weak ? 'closestDiffersWeak' : 'closestDiffers',
          data: { service: obj.name, selector: sel, workload: `${best.w.kind}/${best.w.name}`, where: whereIs(best.w), have, other, crs },
        });
      } else {
        ctx.report({
          path: ['spec', 'selector'],
          messageId: weak || unrelated ? 'noPodsWeak' : 'noPods',
          data: { service: obj.name, namespace: obj.namespace, selector: sel, other, crs },
        });
      }
      return;
    }

    // the container ports of operator-created pods are unknown: no targetPort finding when the Service selects some
    if (operatorSelected.length) return;
    asArray(spec.ports).forEach((p, i) => {
      // a substitution variable (`${GRPC_PORT:-9002}`) is replaced as text before apply: a number or a name, not known here
      if (
        !isObj(p) ||
        typeof p.targetPort !== 'string' ||
        /^\d+$/.test(p.targetPort) ||
        p.targetPort === '' ||
        isSubstitution(p.targetPort)
      )
        return;
      const name = p.targetPort;
      const lacking = selected.filter((w) => !portNames(w).has(name));
      if (lacking.length === 0) return;
      // run-to-completion pods (a Helm hook Job that shares the app's labels) are not meant to serve: only the others count
      if (lacking.length < selected.length && lacking.every((w) => w.kind === 'Job' || w.kind === 'CronJob')) return;
      const declared = [...new Set(lacking.flatMap((w) => [...portNames(w)]))].sort();
      const guess = closest(name, declared);
      const hint =
        guess !== undefined
          ? ` Did you mean "${guess}"?`
          : declared.length
            ? ` Declared port names: ${sampleList(declared, 4)}.`
            : ' They declare no named ports.';
      // another definition of a lacking workload (same kind, namespace and name, elsewhere in the input) declares the port:
      // which one is applied with this Service is unknown here, so not more than an info
      const alternative = lacking.flatMap((w) => ctx.index.sameIdentity(w).filter((o) => o !== w && portNames(o).has(name)))[0];
      if (alternative) {
        ctx.report({
          path: ['spec', 'ports', i, 'targetPort'],
          messageId: 'targetPortAlternative',
          data: {
            port: name,
            lacking: names(lacking),
            alternative: `${alternative.kind}/${alternative.name}`,
            where: whereIs(alternative),
          },
        });
        return;
      }
      // only workloads in other directories lack it while one here declares it: in a samples repository they are
      // other tutorials' pods that happen to carry the labels, so not more than an info
      if (
        lacking.length < selected.length &&
        lacking.every((w) => !sameDirectory(obj, w)) &&
        selected.some((w) => sameDirectory(obj, w) && portNames(w).has(name))
      ) {
        ctx.report({
          path: ['spec', 'ports', i, 'targetPort'],
          messageId: 'targetPortElsewhere',
          data: { port: name, lacking: names(lacking), hint },
        });
        return;
      }
      if (lacking.length === selected.length) {
        ctx.report({
          path: ['spec', 'ports', i, 'targetPort'],
          messageId: 'targetPortNone',
          data: { port: name, selected: names(selected), hint },
        });
      } else {
        ctx.report({
          path: ['spec', 'ports', i, 'targetPort'],
          messageId: 'targetPortSome',
          data: { port: name, lacking: names(lacking), hint },
        });
      }
    });
  },
});
