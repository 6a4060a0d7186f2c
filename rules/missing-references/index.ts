import { defineRule } from '../../src/engine/rule.js';
import { asString, isObj, own, type ManifestObject, type Obj } from '../../src/model/object.js';
import { isWorkload } from '../../src/model/workload.js';
import { distance, inLine, sameDirectory, whereIs } from '../../src/model/index.js';
import { sampleList } from '../../src/util/sample.js';
import { closest } from '../../src/util/strings.js';
import { MESSAGES, type Ctx, type Options } from './messages.js';
import { collectRefs, type RefKind } from './refs.js';
import { checkHpa, checkPdb } from './targets.js';
import { writerByName } from './writers.js';
import { isSubstitution } from '../../src/model/substitution.js';
import { isTestDataPath } from '../../src/util/testdata.js';
import { isClusterPopulated } from '../../src/model/scope.js';

/** Objects the cluster (or a mesh control plane: istiod publishes its root certificate) creates in every namespace. */
const IMPLICIT: Record<RefKind, Set<string>> = {
  ConfigMap: new Set(['kube-root-ca.crt', 'openshift-service-ca.crt', 'istio-ca-root-cert']),
  Secret: new Set(),
  ServiceAccount: new Set(['default']),
  PersistentVolumeClaim: new Set(),
};

const EFFECT: Record<RefKind, string> = {
  ConfigMap: 'the pod cannot start until it exists',
  Secret: 'the pod cannot start until it exists',
  ServiceAccount: 'the controller cannot create any pod (error looking up service account)',
  PersistentVolumeClaim: 'the pod stays Pending',
};
const PULL_EFFECT = 'image pulls from a private registry fail with ImagePullBackOff';

/**
 * The custom resource whose name, and a dash, the name starts with, of a kind whose CRD is in the input (an
 * operator's, as CephCluster's; not an OpenShift SecurityContextConstraints of the same name, to which rook's
 * kustomization gives a namespace): one that states its namespace first, then the longest name.
 */
function operatorOf(
  crs: readonly ManifestObject<Obj>[],
  name: string,
  defined: (cr: ManifestObject<Obj>) => boolean,
): ManifestObject<Obj> | undefined {
  let best: ManifestObject<Obj> | undefined;
  let bestRank = -1;
  for (const cr of crs) {
    if (cr.name === '' || !name.startsWith(`${cr.name}-`) || !defined(cr)) continue;
    const meta = own(cr.data, 'metadata');
    const stated = isObj(meta) && typeof own(meta, 'namespace') === 'string';
    const rank = (stated ? 1_000_000 : 0) + cr.name.length;
    if (rank > bestRank) [best, bestRank] = [cr, rank];
  }
  return best;
}

export default defineRule<Options>({
  meta: {
    id: 'missing-references',
    severity: 'warning',
    category: 'correctness',
    description:
      'ConfigMaps, Secrets, ServiceAccounts and PVCs a pod uses, HPA targets and PDB selectors must exist in the input, and referenced keys must exist.',
    rationale:
      'A pod that references a ConfigMap or Secret that does not exist stays in `CreateContainerConfigError` (env) or `ContainerCreating` (volumes); a missing key in an existing ConfigMap or Secret fails the same way; a missing ServiceAccount makes the ReplicaSet unable to create pods at all; a missing PVC leaves the pod Pending. None of this is caught by `kubectl apply`, and a typo in a name is the usual cause. ' +
      'An HPA whose `scaleTargetRef` names no workload never scales anything, and a PodDisruptionBudget whose selector matches no pod protects nothing during node drains.',
    remediation:
      'Fix the name (or key), add the missing object to the manifests, or mark an intentionally absent reference `optional: true`. ' +
      "ConfigMaps the cluster or a mesh creates in every namespace (`kube-root-ca.crt`, `openshift-service-ca.crt`, istiod's `istio-ca-root-cert`) and the `default` ServiceAccount always count as present. A key missing from an empty ConfigMap or Secret (no data at all: usually a placeholder an overlay, a script or an operator fills) is an info. " +
      'To keep noise down when only part of an application is linted (pre-commit passes the changed files), a missing object is only reported when the same namespace has at least one object of that kind in the input (or `--context`): then the set is evidently managed here. Secrets are not committed to Git in most setups (they come from operators, jobs or secret managers), so a missing Secret is only reported with `checkMissingSecrets: true`; Secrets produced by SealedSecrets, ExternalSecrets or cert-manager Certificates in the input then count as present. A StatefulSet volume named like one of its `volumeClaimTemplates` is not a PVC reference. Set `requireKindInNamespace: false` when you lint a complete, rendered application; list externally managed names in `ignoreNames`. ' +
      "Of several objects of the name (samples repositories, per-provider variants, overlays), the one nearest to the workload (same file, same directory, then the nearest common ancestor directory) is checked; when it lacks a key that another one has, the finding is a warning (the lacking one is in the workload's directory) or an info, never an error; a key missing from a definition in a sibling or cousin directory (another tutorial, another service of a monorepo) is a warning, not an error. A missing object whose name starts with the name of a custom resource of its namespace followed by `-` (rook's `rook-ceph-mon-endpoints` of CephCluster `rook-ceph`, CloudNativePG's `<cluster>-app`) is an info naming that resource, when the CRD of its kind is in the input: operators name what they create after it. So is a missing object that a Role of its namespace (or a ClusterRole a RoleBinding there binds) names in `resourceNames` with create, update or patch: RBAC names an object so to let a component write it at run time (the SPIRE server's trust bundle ConfigMap, which its agents mount). A missing object (or HPA target) whose namespace has objects of the kind only in other directories, or is `kube-system` or `kube-public` (where the cluster and its add-ons keep objects the input does not hold), is an info, and so is one referenced from a file of a Go `testdata` directory (a test's data, whose test may supply the object). A PodDisruptionBudget selecting the pods of a Job, or of a custom resource whose operator creates pods, protects something.",
    tags: ['correctness', 'cross-object'],
    appliesTo: ['PodSpecHolder', 'autoscaling/HorizontalPodAutoscaler', 'policy/PodDisruptionBudget'],
    messages: MESSAGES,
    schema: {
      type: 'object',
      properties: {
        requireKindInNamespace: {
          type: 'boolean',
          description: 'Only report a missing object when its namespace has another object of the same kind in the input (default true).',
        },
        checkMissingSecrets: {
          type: 'boolean',
          description:
            'Also report Secrets missing from the input (off by default: Secrets are usually created out of band, by operators, jobs or secret managers). Keys of Secrets that are in the input are always checked.',
        },
        ignoreNames: {
          type: 'array',
          items: { type: 'string' },
          description: 'Object names never reported as missing (e.g. secrets created by an operator).',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { requireKindInNamespace: true, checkMissingSecrets: false, ignoreNames: [] },
    precision: 'high',
  },
  check(obj, ctx) {
    if (isWorkload(obj)) return checkPodRefs(obj, ctx);
    if (obj.kind === 'HorizontalPodAutoscaler' && obj.group === 'autoscaling') return checkHpa(obj, ctx);
    if (obj.kind === 'PodDisruptionBudget' && obj.group === 'policy') return checkPdb(obj, ctx);
  },
});

/** Secret names produced in the namespace by objects in the input (SealedSecret, ExternalSecret, cert-manager Certificate). */
function producedSecrets(ctx: Ctx, ns: string): Set<string> {
  const out = new Set<string>();
  for (const s of ctx.index.list('SealedSecret', ns)) {
    const spec = s.data.spec;
    const tname = isObj(spec) && isObj(spec.template) && isObj(spec.template.metadata) ? asString(spec.template.metadata.name) : undefined;
    out.add(tname ?? s.name);
  }
  for (const s of ctx.index.list('ExternalSecret', ns)) {
    const spec = s.data.spec;
    out.add((isObj(spec) && isObj(spec.target) ? asString(spec.target.name) : undefined) ?? s.name);
  }
  for (const c of ctx.index.certificates(ns)) {
    const spec = c.data.spec;
    const n = isObj(spec) ? asString(spec.secretName) : undefined;
    if (n) out.add(n);
  }
  return out;
}

function dataKeys(o: ManifestObject<Obj>): Set<string> {
  const keys = new Set<string>();
  const fields = o.kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData'];
  for (const f of fields) {
    const d = o.data[f];
    if (isObj(d)) for (const k of Object.keys(d)) keys.add(k);
  }
  return keys;
}

function checkPodRefs(obj: ManifestObject<Obj>, ctx: Ctx): void {
  const ns = obj.namespace;
  const ignore = new Set(ctx.options.ignoreNames);
  let produced: Set<string> | undefined;
  for (const ref of collectRefs(obj)) {
    if (IMPLICIT[ref.kind].has(ref.name) || ignore.has(ref.name)) continue;
    // a placeholder a script or an operator fills in (`FILLED_BY_OPERATOR`, `${CONFIG}`): no object's name yet
    if (isSubstitution(ref.name)) continue;
    // of several objects of the name (samples repositories, per-provider variants, overlays), the nearest first
    const candidates = ctx.index.resolve(ref.kind, '', ns, ref.name, obj);
    const found = candidates[0];
    if (found) {
      if (ref.optional || (ref.kind !== 'ConfigMap' && ref.kind !== 'Secret')) continue;
      // a generated ConfigMap/Secret whose key sources could not all be read: its keys are unknown
      if (found.generated && !found.generated.keysKnown) continue;
      const keys = dataKeys(found);
      for (const k of ref.keys) {
        if (keys.has(k.key)) continue;
        const having = candidates.slice(1).filter((c) => dataKeys(c).has(k.key));
        if (having.length) {
          // ambiguous: another object of the name has the key; which one is applied with this workload is unknown here.
          // Never an error: a warning when the one lacking it is in this directory and nearer than those having it, else info
          const near = sameDirectory(obj, found) && having.every((h) => distance(obj, h) > distance(obj, found));
          ctx.report({
            path: k.path,
            messageId: near ? 'keyAmbiguous' : 'keyAmbiguousFar',
            data: {
              what: ref.what,
              key: k.key,
              kind: ref.kind,
              name: ref.name,
              where: whereIs(found),
              having: sampleList(having.map(whereIs), 2),
              count: candidates.length,
            },
          });
          continue;
        }
        const guess = closest(k.key, keys);
        const has = keys.size ? `it has ${sampleList([...keys].sort(), 4)}` : 'it is empty';
        // an error only when the definition is in the workload's directory line (same directory, above or below it); one in
        // a sibling or cousin directory (another tutorial, another service of a monorepo) may not be the one applied: warning
        const related = inLine(obj, found);
        const others =
          candidates.length === 2
            ? `, nor does the other ${ref.kind} of that name (${whereIs(candidates[1]!)})`
            : candidates.length > 2
              ? `, nor do the ${String(candidates.length - 1)} others of that name`
              : '';
        ctx.report({
          path: k.path,
          messageId: keys.size === 0 ? 'missingKeyEmpty' : related ? 'missingKey' : 'missingKeyUnrelated',
          data: {
            what: ref.what,
            key: k.key,
            kind: ref.kind,
            name: ref.name,
            where: whereIs(found),
            has,
            others,
            effect: ref.what.startsWith('env') ? 'CreateContainerConfigError' : 'stuck in ContainerCreating',
            guess: guess !== undefined ? `did you mean "${guess}"? ` : '',
          },
        });
      }
      continue;
    }
    if (ref.optional) continue;
    if (ref.kind === 'Secret' && !ctx.options.checkMissingSecrets) continue;
    if (ref.kind === 'Secret' && (produced ??= producedSecrets(ctx, ns)).has(ref.name)) continue;
    const sameKind = ctx.index.list(ref.kind, ns, '');
    if (ctx.options.requireKindInNamespace && sameKind.length === 0) continue;
    // a name that starts with a custom resource's in the namespace (rook's `rook-ceph-mon-endpoints` of CephCluster
    // rook-ceph, CloudNativePG's `<cluster>-app`): its operator makes objects named so, which the input cannot show
    const maker = operatorOf(ctx.index.customResources(ns), ref.name, (cr) =>
      ctx.index.list('CustomResourceDefinition', undefined, 'apiextensions.k8s.io').some((d) => {
        const spec = own(d.data, 'spec');
        const names = isObj(spec) ? own(spec, 'names') : undefined;
        return isObj(spec) && own(spec, 'group') === cr.group && isObj(names) && own(names, 'kind') === cr.kind;
      }),
    );
    // or a Role of the namespace that names it to write it (the SPIRE server's trust bundle ConfigMap)
    const writer = maker ? undefined : writerByName(ctx.index, ns, ref.kind, ref.name);
    const by = maker ?? writer;
    if (by) {
      ctx.report({
        path: ref.path,
        messageId: maker ? 'missingObjectOperator' : 'missingObjectManaged',
        data: {
          what: ref.what,
          kind: ref.kind,
          name: ref.name,
          maker: `${by.kind} ${by.name}`,
          file: whereIs(by),
          effect: ref.what === 'imagePullSecrets' ? PULL_EFFECT : EFFECT[ref.kind],
        },
      });
      continue;
    }
    // the evidence that this namespace's set of objects is managed here: other objects of the kind. When all of them
    // are in other directories (another tutorial of a samples repository, another overlay), that is weak: info.
    // kube-system and kube-public also hold the objects of the cluster's own components and add-ons: weak too
    const system = isClusterPopulated(ns);
    // a file of a Go `testdata` directory is the data of a test, which may supply the object itself (gpu-operator's
    // golden renders reference the ConfigMap its test passes in)
    const testData = isTestDataPath(obj.file.path);
    const weak =
      system || testData || (ctx.options.requireKindInNamespace && !ctx.index.inDirectory(ref.kind, ns, obj).some((o) => o.group === ''));
    const guess = ctx.index.closestName(ref.kind, ns, ref.name, '');
    const effect = EFFECT;
    const evidence = system
      ? `namespace "${ns}" has ${String(sameKind.length)} other ${ref.kind}${sameKind.length === 1 ? '' : 's'} here, but the cluster's own components and add-ons keep theirs there too`
      : testData
        ? `namespace "${ns}" has ${String(sameKind.length)} other ${ref.kind}${sameKind.length === 1 ? '' : 's'} here, but this file is a test's data (a testdata directory), and the test may supply it`
        : weak
          ? `namespace "${ns}" has ${String(sameKind.length)} other ${ref.kind}${sameKind.length === 1 ? '' : 's'} in other directories (e.g. ${whereIs(sameKind[0]!)})`
          : `namespace "${ns}" has ${String(sameKind.length)} other ${ref.kind}${sameKind.length === 1 ? '' : 's'} here`;
    ctx.report({
      path: ref.path,
      messageId: weak ? 'missingObjectWeak' : 'missingObject',
      data: {
        what: ref.what,
        kind: ref.kind,
        name: ref.name,
        evidence,
        effect: ref.what === 'imagePullSecrets' ? PULL_EFFECT : effect[ref.kind],
        guess: guess !== undefined ? `Did you mean "${guess}"? ` : '',
        optional:
          ref.kind === 'ConfigMap' || (ref.kind === 'Secret' && ref.what !== 'imagePullSecrets')
            ? ', or mark the reference optional: true'
            : '',
      },
    });
  }
}
