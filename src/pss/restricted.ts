/** The restricted Pod Security controls (PSA policy/check_restricted*.go, runAsNonRoot, runAsUser, seccompProfile_restricted, …). */
import type { PathSeg } from '../parse/source.js';
import type { FixValue } from '../fix/edits.js';
import { isObj } from '../model/object.js';
import type { ContainerRef } from '../model/workload.js';
import type { PodView } from './pod.js';
import {
  NOT_SET,
  capabilityList,
  cfield,
  cpath,
  get,
  inUserNamespace,
  isWindows,
  list,
  podSC,
  ppath,
  sc,
  show,
  unmaskedProcMounts,
  type Control,
  type Violation,
} from './check.js';
import { CAPS_BASELINE } from './baseline.js';

// ---------------------------------------------------------------- restricted

export const ALLOWED_VOLUME_TYPES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
] as const;
const ALLOWED_VOLUME_SET = new Set<string>(ALLOWED_VOLUME_TYPES);
/** Every other volume source of the core API (PSA names each). */
export const RESTRICTED_VOLUME_TYPES = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
] as const;

export const volumeTypes: Control = {
  id: 'pss-volume-types',
  checkId: 'restrictedVolumes',
  name: 'Volume Types',
  level: 'restricted',
  since: 0,
  check(pod) {
    const out: Violation[] = [];
    const vols = pod.spec.volumes;
    if (!Array.isArray(vols)) return out;
    vols.forEach((v: unknown, i: number) => {
      if (!isObj(v)) return;
      // PSA admits a volume as soon as one allowed source is set (the volume's own few keys are looked at,
      // not the 9 allowed names on every volume)
      for (const k in v) if (ALLOWED_VOLUME_SET.has(k) && isObj(v[k])) return;
      // A volume with no known source is defaulted to emptyDir by the API server (or rejected).
      // hostPath is reported by pss-host-path-volumes.
      const t = RESTRICTED_VOLUME_TYPES.find((x) => isObj(v[x]));
      if (t === undefined || t === 'hostPath') return;
      const name = typeof v.name === 'string' ? ` (volume "${v.name}")` : '';
      out.push({
        path: ppath(pod, 'volumes', i, t),
        field: `spec.volumes[${String(i)}].${t}${name}`,
        value: 'set',
        allowed: `one of ${list(ALLOWED_VOLUME_TYPES)}`,
      });
    });
    return out;
  },
};

export const privilegeEscalation: Control = {
  id: 'pss-privilege-escalation',
  checkId: 'allowPrivilegeEscalation',
  name: 'Privilege Escalation',
  level: 'restricted',
  since: 8,
  suggests: true,
  fixable: true,
  check(pod) {
    // 1.25+: Windows pods are exempt (the API forbids the field for them)
    if (pod.minor >= 25 && isWindows(pod)) return [];
    const out: Violation[] = [];
    for (const c of pod.containers) {
      const v = sc(c)?.allowPrivilegeEscalation;
      if (v === false) continue;
      const p = cpath(c, 'securityContext', 'allowPrivilegeEscalation');
      out.push({
        path: p,
        field: cfield(c, 'securityContext.allowPrivilegeEscalation'),
        value: typeof v === 'boolean' ? String(v) : NOT_SET,
        allowed: 'false',
        container: c.name,
        fix: { op: 'set', path: p, value: false, safe: v === undefined || v === null },
      });
    }
    return out;
  },
};

export const runAsNonRoot: Control = {
  id: 'pss-run-as-non-root',
  checkId: 'runAsNonRoot',
  name: 'Running as Non-root',
  level: 'restricted',
  since: 0,
  suggests: true,
  fixable: true,
  check(pod) {
    if (pod.minor >= 35 && inUserNamespace(pod)) return [];
    const out: Violation[] = [];
    const pv = podSC(pod)?.runAsNonRoot;
    if (pv === false) {
      const p = ppath(pod, 'securityContext', 'runAsNonRoot');
      out.push({
        path: p,
        field: 'spec.securityContext.runAsNonRoot',
        value: 'false',
        allowed: 'true, or unset when every container sets true',
        fix: { op: 'set', path: p, value: true, safe: false },
      });
    }
    const unset: ContainerRef[] = [];
    for (const c of pod.containers) {
      const v = sc(c)?.runAsNonRoot;
      if (v === false) {
        const p = cpath(c, 'securityContext', 'runAsNonRoot');
        out.push({
          path: p,
          field: cfield(c, 'securityContext.runAsNonRoot'),
          value: 'false',
          allowed: 'true, or unset when the pod sets true',
          container: c.name,
          fix: { op: 'set', path: p, value: true, safe: false },
        });
      } else if (v !== true) unset.push(c);
    }
    // containers that inherit nothing: the pod does not set runAsNonRoot (an explicit false is reported above)
    if (typeof pv !== 'boolean') out.push(...missing(pod, unset, 'runAsNonRoot', 'true', 'true', true));
    return out;
  },
};

/**
 * Containers that must set a field the pod does not set: one finding at the
 * pod's securityContext when no container sets it (set it once there), else
 * one per container that lacks it.
 */
function missing(
  pod: PodView,
  unset: ContainerRef[],
  key: string,
  podAllowed: string,
  containerAllowed: string,
  fixValue?: FixValue,
): Violation[] {
  if (unset.length === 0) return [];
  const fix = (path: PathSeg[]): Pick<Violation, 'fix'> =>
    fixValue !== undefined ? { fix: { op: 'set', path, value: fixValue, safe: true } } : {};
  if (unset.length === pod.containers.length) {
    const path = ppath(pod, 'securityContext', key);
    return [
      { path, field: `spec.securityContext.${key}`, value: NOT_SET, allowed: `${podAllowed} (here, or in every container)`, ...fix(path) },
    ];
  }
  return unset.map((c) => ({
    path: cpath(c, 'securityContext', key),
    field: cfield(c, `securityContext.${key}`),
    value: NOT_SET,
    allowed: `${containerAllowed} (here, or at spec.securityContext.${key})`,
    container: c.name,
    ...fix(cpath(c, 'securityContext', key)),
  }));
}

export const runAsUser: Control = {
  id: 'pss-run-as-user',
  checkId: 'runAsUser',
  name: 'Running as Non-root user',
  level: 'restricted',
  since: 23,
  check(pod) {
    if (pod.minor >= 35 && inUserNamespace(pod)) return [];
    const out: Violation[] = [];
    const allowed = 'unset or a non-zero UID';
    if (podSC(pod)?.runAsUser === 0)
      out.push({ path: ppath(pod, 'securityContext', 'runAsUser'), field: 'spec.securityContext.runAsUser', value: '0', allowed });
    for (const c of pod.containers) {
      if (sc(c)?.runAsUser === 0)
        out.push({
          path: cpath(c, 'securityContext', 'runAsUser'),
          field: cfield(c, 'securityContext.runAsUser'),
          value: '0',
          allowed,
          container: c.name,
        });
    }
    return out;
  },
};

export const seccompRestricted: Control = {
  id: 'pss-seccomp-restricted',
  checkId: 'seccompProfile_restricted',
  name: 'Seccomp',
  level: 'restricted',
  since: 19,
  fixable: true,
  check(pod) {
    // 1.25+: Windows pods are exempt
    if (pod.minor >= 25 && isWindows(pod)) return [];
    // Explicit bad values (pod or container) are pss-seccomp-baseline's findings; here: profiles not set.
    // A pod-level profile, valid or not, covers the containers that set none (a bad one is reported there).
    if (isObj(podSC(pod)?.seccompProfile)) return [];
    const unset = pod.containers.filter((c) => !isObj(sc(c)?.seccompProfile));
    return missing(pod, unset, 'seccompProfile', 'type RuntimeDefault or Localhost', 'type RuntimeDefault or Localhost', {
      type: 'RuntimeDefault',
    });
  },
};

export const capabilitiesRestricted: Control = {
  id: 'pss-capabilities-restricted',
  checkId: 'capabilities_restricted',
  name: 'Capabilities',
  level: 'restricted',
  since: 22,
  fixable: true,
  check(pod) {
    // 1.25+: Windows pods are exempt
    if (pod.minor >= 25 && isWindows(pod)) return [];
    const out: Violation[] = [];
    for (const c of pod.containers) {
      if (!capabilityList(c, 'drop').includes('ALL')) {
        const drop = get(sc(c), 'capabilities', 'drop');
        const path = cpath(c, 'securityContext', 'capabilities', 'drop');
        out.push({
          fix: { op: 'append', path, value: 'ALL', safe: true },
          path,
          field: cfield(c, 'securityContext.capabilities.drop'),
          value: Array.isArray(drop) ? JSON.stringify(drop) : NOT_SET,
          allowed: 'a list that includes "ALL"',
          container: c.name,
        });
      }
      capabilityList(c, 'add').forEach((cap, i) => {
        // capabilities outside the baseline allow-list are pss-capabilities-baseline's findings
        if (typeof cap !== 'string' || cap === 'NET_BIND_SERVICE' || !CAPS_BASELINE.has(cap)) return;
        out.push({
          path: cpath(c, 'securityContext', 'capabilities', 'add', i),
          field: cfield(c, `securityContext.capabilities.add[${String(i)}]`),
          value: show(cap),
          allowed: 'only NET_BIND_SERVICE',
          container: c.name,
        });
      });
    }
    return out;
  },
};

export const procMountRestricted: Control = {
  id: 'pss-proc-mount-restricted',
  checkId: 'procMount_restricted',
  name: '/proc Mount Type',
  level: 'restricted',
  since: 35,
  check(pod) {
    // Outside a user namespace pss-proc-mount reports the same fields.
    if (!inUserNamespace(pod)) return [];
    return unmaskedProcMounts(pod).map((v) => ({ ...v, allowed: `${v.allowed}, even with spec.hostUsers: false` }));
  },
};
