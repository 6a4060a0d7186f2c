/**
 * The explicit registry of built-in rules. Adding a rule: create
 * rules/<id>/index.ts and its fixtures, then list it here.
 */
import type { AnyRule } from './rule.js';
import type { RenderMapping } from '../render/index.js';
import yamlSyntax from '../../rules/yaml-syntax/index.js';
import unreadableFile from '../../rules/unreadable-file/index.js';
import helmRender from '../../rules/helm-render/index.js';
import kustomizeRender from '../../rules/kustomize-render/index.js';
import invalidObject from '../../rules/invalid-object/index.js';
import nonManifestFile from '../../rules/non-manifest-file/index.js';
import kustomizePatch from '../../rules/kustomize-patch/index.js';
import duplicateKey from '../../rules/duplicate-key/index.js';
import ambiguousYamlValue from '../../rules/ambiguous-yaml-value/index.js';
import probePortExists from '../../rules/probe-port-exists/index.js';
import statefulsetHeadlessService from '../../rules/statefulset-headless-service/index.js';
import networkpolicyPort from '../../rules/networkpolicy-port/index.js';
import topologySpreadConstraints from '../../rules/topology-spread-constraints/index.js';
import suppressionReason from '../../rules/suppression-reason/index.js';
import unusedSuppression from '../../rules/unused-suppression/index.js';
import probeTimeoutVsClientTimeout from '../../rules/probe-timeout-vs-client-timeout/index.js';
import resourceRequestsLimits from '../../rules/resource-requests-limits/index.js';
import secretSubpathMount from '../../rules/secret-subpath-mount/index.js';
import fsgroupRunAsUser from '../../rules/fsgroup-run-as-user/index.js';
import schema from '../../rules/schema/index.js';
import deprecatedApi from '../../rules/deprecated-api/index.js';
import imageTag from '../../rules/image-tag/index.js';
import missingReferences from '../../rules/missing-references/index.js';
import serviceSelector from '../../rules/service-selector/index.js';
import missingProbes from '../../rules/missing-probes/index.js';
import privilegedContainer from '../../rules/privileged-container/index.js';
import dangerousCapabilities from '../../rules/dangerous-capabilities/index.js';
import privilegeEscalation from '../../rules/privilege-escalation/index.js';
import hostNamespaces from '../../rules/host-namespaces/index.js';
import hostPath from '../../rules/host-path/index.js';
import { PSS_RULES } from '../pss/rules.js';
import duplicateObject from '../../rules/duplicate-object/index.js';
import rbacWildcard from '../../rules/rbac-wildcard/index.js';
import rbacClusterAdminBinding from '../../rules/rbac-cluster-admin-binding/index.js';
import rbacSecretsAccess from '../../rules/rbac-secrets-access/index.js';
import rbacPodExec from '../../rules/rbac-pod-exec/index.js';
import rbacCreatePods from '../../rules/rbac-create-pods/index.js';
import rbacEscalation from '../../rules/rbac-escalation/index.js';
import rbacBroadSubject from '../../rules/rbac-broad-subject/index.js';
import rbacDefaultServiceAccount from '../../rules/rbac-default-service-account/index.js';
import automountServiceAccountToken from '../../rules/automount-service-account-token/index.js';
import defaultServiceAccount from '../../rules/default-service-account/index.js';
import deprecatedServiceAccountField from '../../rules/deprecated-service-account-field/index.js';
import readOnlyRootFilesystem from '../../rules/read-only-root-filesystem/index.js';
import runAsHighUid from '../../rules/run-as-high-uid/index.js';
import dropNetRaw from '../../rules/drop-net-raw/index.js';
import privilegedPorts from '../../rules/privileged-ports/index.js';
import sshPort from '../../rules/ssh-port/index.js';
import imagePullPolicy from '../../rules/image-pull-policy/index.js';
import allowedRegistries from '../../rules/allowed-registries/index.js';
import duplicateEnvVar from '../../rules/duplicate-env-var/index.js';
import secretInEnv from '../../rules/secret-in-env/index.js';
import literalSecret from '../../rules/literal-secret/index.js';
import selectorTemplateMismatch from '../../rules/selector-template-mismatch/index.js';
import replicasWithHpa from '../../rules/replicas-with-hpa/index.js';
import pdbBlocksEviction from '../../rules/pdb-blocks-eviction/index.js';
import hpaReplicas from '../../rules/hpa-replicas/index.js';
import rollingUpdateUnavailable from '../../rules/rolling-update-unavailable/index.js';
import serviceExternalIps from '../../rules/service-external-ips/index.js';
import ingressBackend from '../../rules/ingress-backend/index.js';
import minReplicas from '../../rules/min-replicas/index.js';
import pdbMissing from '../../rules/pdb-missing/index.js';
import pdbUnhealthyEviction from '../../rules/pdb-unhealthy-eviction/index.js';
import jobTtl from '../../rules/job-ttl/index.js';
import cronjobPolicy from '../../rules/cronjob-policy/index.js';
import serviceExposure from '../../rules/service-exposure/index.js';
import ingressTls from '../../rules/ingress-tls/index.js';
import networkPolicyMissing from '../../rules/network-policy-missing/index.js';
import defaultNamespace from '../../rules/default-namespace/index.js';
import requiredLabels from '../../rules/required-labels/index.js';
import priorityClass from '../../rules/priority-class/index.js';
import validatingAdmissionPolicy from '../../rules/validating-admission-policy/index.js';
import crdValidationRule from '../../rules/crd-validation-rule/index.js';
import requestsEqualLimits from '../../rules/requests-equal-limits/index.js';
import ephemeralStorageLimits from '../../rules/ephemeral-storage-limits/index.js';
import pdbPolicy from '../../rules/pdb-policy/index.js';
import updateStrategy from '../../rules/update-strategy/index.js';
import sccPrivileged from '../../rules/scc-privileged/index.js';
import nodeAffinity from '../../rules/node-affinity/index.js';
import dnsConfigOptions from '../../rules/dns-config-options/index.js';
import networkpolicyPeerSelector from '../../rules/networkpolicy-peer-selector/index.js';
import servicemonitorSelector from '../../rules/servicemonitor-selector/index.js';
import linuxHardening from '../../rules/linux-hardening/index.js';
import instanceLabelMismatch from '../../rules/instance-label-mismatch/index.js';
import sortedKeys from '../../rules/sorted-keys/index.js';

export const BUILTIN_RULES: readonly AnyRule[] = [
  yamlSyntax,
  unreadableFile,
  helmRender,
  kustomizeRender,
  invalidObject,
  nonManifestFile,
  kustomizePatch,
  duplicateKey,
  ambiguousYamlValue,
  probePortExists,
  statefulsetHeadlessService,
  networkpolicyPort,
  topologySpreadConstraints,
  suppressionReason,
  unusedSuppression,
  probeTimeoutVsClientTimeout,
  resourceRequestsLimits,
  secretSubpathMount,
  fsgroupRunAsUser,
  schema,
  deprecatedApi,
  imageTag,
  missingReferences,
  serviceSelector,
  missingProbes,
  privilegedContainer,
  dangerousCapabilities,
  privilegeEscalation,
  hostNamespaces,
  hostPath,
  ...PSS_RULES,
  duplicateObject,
  rbacWildcard,
  rbacClusterAdminBinding,
  rbacSecretsAccess,
  rbacPodExec,
  rbacCreatePods,
  rbacEscalation,
  rbacBroadSubject,
  rbacDefaultServiceAccount,
  automountServiceAccountToken,
  defaultServiceAccount,
  deprecatedServiceAccountField,
  readOnlyRootFilesystem,
  runAsHighUid,
  dropNetRaw,
  privilegedPorts,
  sshPort,
  imagePullPolicy,
  allowedRegistries,
  duplicateEnvVar,
  secretInEnv,
  literalSecret,
  selectorTemplateMismatch,
  replicasWithHpa,
  pdbBlocksEviction,
  hpaReplicas,
  rollingUpdateUnavailable,
  serviceExternalIps,
  ingressBackend,
  minReplicas,
  pdbMissing,
  pdbUnhealthyEviction,
  jobTtl,
  cronjobPolicy,
  serviceExposure,
  ingressTls,
  networkPolicyMissing,
  defaultNamespace,
  requiredLabels,
  priorityClass,
  validatingAdmissionPolicy,
  crdValidationRule,
  requestsEqualLimits,
  ephemeralStorageLimits,
  pdbPolicy,
  updateStrategy,
  sccPrivileged,
  nodeAffinity,
  dnsConfigOptions,
  networkpolicyPeerSelector,
  servicemonitorSelector,
  linuxHardening,
  instanceLabelMismatch,
  sortedKeys,
];

export class RuleRegistry {
  private byId = new Map<string, AnyRule>();
  /** `meta.instanceIds.prefix` → the rule whose instances it names */
  private byPrefix = new Map<string, AnyRule>();
  constructor(rules: readonly AnyRule[] = BUILTIN_RULES) {
    for (const r of rules) this.add(r);
  }
  add(rule: AnyRule): void {
    if (this.has(rule.meta.id)) throw new Error(`duplicate rule id "${rule.meta.id}"`);
    const prefix = rule.meta.instanceIds?.prefix;
    if (prefix !== undefined) {
      if (this.byPrefix.has(prefix) || [...this.byId.keys()].some((id) => id.startsWith(`${prefix}/`)))
        throw new Error(`duplicate rule id prefix "${prefix}/"`);
      this.byPrefix.set(prefix, rule);
    }
    this.byId.set(rule.meta.id, rule);
  }
  /** A rule by its id; an instance id (`vap/<policy>`) gives the rule that reports it. */
  get(id: string): AnyRule | undefined {
    return this.byId.get(id) ?? this.instanceOf(id);
  }
  /** A rule id, or the id of one instance of a rule (`vap/<policy>`, see `meta.instanceIds`). */
  has(id: string): boolean {
    return this.get(id) !== undefined;
  }
  /** The rule id that covers `id`: itself, or for an instance id (`vap/<policy>`) its rule's id. */
  groupId(id: string): string {
    return this.byId.has(id) ? id : (this.instanceOf(id)?.meta.id ?? id);
  }
  private instanceOf(id: string): AnyRule | undefined {
    const i = id.indexOf('/');
    return i > 0 && i < id.length - 1 ? this.byPrefix.get(id.slice(0, i)) : undefined;
  }
  /** all rules, sorted by id */
  all(): AnyRule[] {
    return [...this.byId.values()].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
  }
  ids(): string[] {
    return this.all().map((r) => r.meta.id);
  }
}

/** A render mapping whose source-comment suppressions also match by the rule that covers an instance id (vap/<policy>). */
export function withGroupSuppressions(m: RenderMapping, registry: RuleRegistry): RenderMapping {
  const find = m.sourceSuppression;
  if (!find) return m;
  return {
    ...m,
    sourceSuppression: (place, ruleId) => {
      const group = registry.groupId(ruleId);
      return find(place, ruleId) ?? (group !== ruleId ? find(place, group) : undefined);
    },
  };
}
