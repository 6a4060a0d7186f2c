/**
 * The Pod Security Standards controls, as the Pod Security admission
 * controller (k8s.io/pod-security-admission, policy/check_*.go) enforces
 * them: one check per control, each returning the fields that violate it.
 *
 * Conventions shared with PSA:
 * - "containers" are init, regular and ephemeral containers (PSA's visitContainers);
 * - a field counts only with the type the API decodes it to (a quoted `"true"`
 *   is not `true`; such values are the schema rule's business), and `null` is unset;
 * - a control applies from its first policy version (`since`), and versioned
 *   allow-lists follow the policy version.
 *
 * Deliberate difference (documented in the rules): where PSA's restricted
 * checks override a baseline check (restrictedVolumes over hostPathVolumes,
 * capabilities_restricted over capabilities_baseline, seccompProfile_restricted
 * over seccompProfile_baseline, procMount_restricted over procMount), the
 * restricted rule leaves out what its baseline rule, in the same preset,
 * already reports on the same field, so a field is reported once.
 */
import type { PathSeg } from '../parse/source.js';
import type { FixValue } from '../fix/edits.js';
import { isObj, type Obj } from '../model/object.js';
import type { ContainerRef } from '../model/workload.js';
import type { PodView } from './pod.js';

export type Level = 'baseline' | 'restricted';

export interface Violation {
  /** path from the object root (missing fields fall back to the nearest existing parent) */
  path: PathSeg[];
  /** the field, as PSS names it from the pod: `spec.containers[0].securityContext.privileged` */
  field: string;
  /** the value found: `true`, `"Unconfined"`, or `not set` */
  value: string;
  /** what the control allows there */
  allowed: string;
  /** the container the field belongs to, if any */
  container?: string;
  /** an edit that satisfies the control: `set` the field at `path` to `value`, or `append` it to the list there; `safe` false makes it a suggestion */
  fix?: { op: 'set' | 'append'; path: PathSeg[]; value: FixValue; safe: boolean };
}

export interface Control {
  /** rule id */
  id: string;
  /** PSA check id */
  checkId: string;
  /** the control's name in the Pod Security Standards */
  name: string;
  level: Level;
  /** first policy version (1.<since>) that has the check */
  since: number;
  /** some violations carry a fix */
  fixable?: boolean;
  /** some violations carry a suggestion */
  suggests?: boolean;
  check(pod: PodView): Violation[];
}

// ---------------------------------------------------------------- helpers

const NOT_SET = 'not set';

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function get(o: unknown, ...keys: string[]): unknown {
  let cur = o;
  for (const k of keys) {
    if (!isObj(cur) || !Object.prototype.hasOwnProperty.call(cur, k)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function podSC(pod: PodView): Obj | undefined {
  const sc = pod.spec.securityContext;
  return isObj(sc) ? sc : undefined;
}

function sc(c: ContainerRef): Obj | undefined {
  const s = c.container.securityContext;
  return isObj(s) ? s : undefined;
}

/** `spec.containers[0]` for a container, from the pod. */
function cfield(c: ContainerRef, rest: string): string {
  return `spec.${c.field}[${String(c.index)}]${rest ? '.' + rest : ''}`;
}

function cpath(c: ContainerRef, ...rest: PathSeg[]): PathSeg[] {
  return [...c.path, ...rest];
}

function ppath(pod: PodView, ...rest: PathSeg[]): PathSeg[] {
  return [...pod.specPath, ...rest];
}

function isWindows(pod: PodView): boolean {
  return get(pod.spec, 'os', 'name') === 'windows';
}

/** `spec.hostUsers: false`: the pod runs in a user namespace (PSA's relaxPolicyForUserNamespacePod). */
function inUserNamespace(pod: PodView): boolean {
  return pod.spec.hostUsers === false;
}

function list(items: readonly string[]): string {
  return items.join(', ');
}

// ---------------------------------------------------------------- baseline

export const CAPABILITIES_BASELINE = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'] as const;
const CAPS_BASELINE = new Set<string>(CAPABILITIES_BASELINE);

/** Safe sysctls by the policy version that added them. */
export const SAFE_SYSCTLS: readonly { since: number; names: readonly string[] }[] = [
  { since: 0, names: ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'] },
  { since: 27, names: ['net.ipv4.ip_local_reserved_ports'] },
  { since: 29, names: ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'] },
  { since: 32, names: ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'] },
  { since: 37, names: ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'] },
];

export function safeSysctls(minor: number): string[] {
  return SAFE_SYSCTLS.filter((s) => minor >= s.since).flatMap((s) => s.names);
}

export function seLinuxTypes(minor: number): string[] {
  return ['container_t', 'container_init_t', 'container_kvm_t', ...(minor >= 31 ? ['container_engine_t'] : [])];
}

const hostProcess: Control = {
  id: 'pss-host-process',
  checkId: 'windowsHostProcess',
  name: 'HostProcess',
  level: 'baseline',
  since: 0,
  check(pod) {
    const out: Violation[] = [];
    const allowed = 'unset or false';
    if (get(podSC(pod), 'windowsOptions', 'hostProcess') === true) {
      out.push({ path: ppath(pod, 'securityContext', 'windowsOptions', 'hostProcess'), field: 'spec.securityContext.windowsOptions.hostProcess', value: 'true', allowed });
    }
    for (const c of pod.containers) {
      if (get(sc(c), 'windowsOptions', 'hostProcess') === true) {
        out.push({ path: cpath(c, 'securityContext', 'windowsOptions', 'hostProcess'), field: cfield(c, 'securityContext.windowsOptions.hostProcess'), value: 'true', allowed, container: c.name });
      }
    }
    return out;
  },
};

const hostNamespaces: Control = {
  id: 'pss-host-namespaces',
  checkId: 'hostNamespaces',
  name: 'Host Namespaces',
  level: 'baseline',
  since: 0,
  check(pod) {
    const out: Violation[] = [];
    for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
      if (pod.spec[f] === true) out.push({ path: ppath(pod, f), field: `spec.${f}`, value: 'true', allowed: 'unset or false' });
    }
    return out;
  },
};

const privileged: Control = {
  id: 'pss-privileged',
  checkId: 'privileged',
  name: 'Privileged Containers',
  level: 'baseline',
  since: 0,
  check(pod) {
    const out: Violation[] = [];
    for (const c of pod.containers) {
      if (sc(c)?.privileged === true) out.push({ path: cpath(c, 'securityContext', 'privileged'), field: cfield(c, 'securityContext.privileged'), value: 'true', allowed: 'unset or false', container: c.name });
    }
    return out;
  },
};

function capabilityList(c: ContainerRef, key: 'add' | 'drop'): unknown[] {
  const l = get(sc(c), 'capabilities', key);
  return Array.isArray(l) ? l : [];
}

const capabilitiesBaseline: Control = {
  id: 'pss-capabilities-baseline',
  checkId: 'capabilities_baseline',
  name: 'Capabilities',
  level: 'baseline',
  since: 0,
  check(pod) {
    const out: Violation[] = [];
    for (const c of pod.containers) {
      capabilityList(c, 'add').forEach((cap, i) => {
        if (typeof cap !== 'string' || CAPS_BASELINE.has(cap)) return;
        out.push({ path: cpath(c, 'securityContext', 'capabilities', 'add', i), field: cfield(c, `securityContext.capabilities.add[${String(i)}]`), value: show(cap), allowed: `one of ${list(CAPABILITIES_BASELINE)}`, container: c.name });
      });
    }
    return out;
  },
};

const hostPathVolumes: Control = {
  id: 'pss-host-path-volumes',
  checkId: 'hostPathVolumes',
  name: 'HostPath Volumes',
  level: 'baseline',
  since: 0,
  check(pod) {
    const out: Violation[] = [];
    const vols = pod.spec.volumes;
    if (!Array.isArray(vols)) return out;
    vols.forEach((v: unknown, i: number) => {
      if (!isObj(v) || !isObj(v.hostPath)) return;
      const name = typeof v.name === 'string' ? ` (volume "${v.name}")` : '';
      out.push({ path: ppath(pod, 'volumes', i, 'hostPath'), field: `spec.volumes[${String(i)}].hostPath${name}`, value: 'set', allowed: 'unset' });
    });
    return out;
  },
};

const hostPorts: Control = {
  id: 'pss-host-ports',
  checkId: 'hostPorts',
  name: 'Host Ports',
  level: 'baseline',
  since: 0,
  check(pod) {
    const out: Violation[] = [];
    for (const c of pod.containers) {
      const ports = c.container.ports;
      if (!Array.isArray(ports)) continue;
      ports.forEach((p: unknown, i: number) => {
        const hp = get(p, 'hostPort');
        if (typeof hp !== 'number' || hp === 0) return;
        out.push({ path: cpath(c, 'ports', i, 'hostPort'), field: cfield(c, `ports[${String(i)}].hostPort`), value: String(hp), allowed: 'unset or 0', container: c.name });
      });
    }
    return out;
  },
};

const hostProbes: Control = {
  id: 'pss-host-probes',
  checkId: 'hostProbesAndHostLifecycle',
  name: 'Host Probes / Lifecycle Hooks',
  level: 'baseline',
  since: 34,
  check(pod) {
    const out: Violation[] = [];
    for (const c of pod.containers) {
      const handlers: [PathSeg[], unknown][] = [
        [['livenessProbe'], c.container.livenessProbe],
        [['readinessProbe'], c.container.readinessProbe],
        [['startupProbe'], c.container.startupProbe],
        [['lifecycle', 'postStart'], get(c.container, 'lifecycle', 'postStart')],
        [['lifecycle', 'preStop'], get(c.container, 'lifecycle', 'preStop')],
      ];
      for (const [where, h] of handlers) {
        for (const kind of ['httpGet', 'tcpSocket'] as const) {
          const host = get(h, kind, 'host');
          if (typeof host !== 'string' || host === '') continue;
          out.push({ path: cpath(c, ...where, kind, 'host'), field: cfield(c, `${where.join('.')}.${kind}.host`), value: show(host), allowed: 'unset or ""', container: c.name });
        }
      }
    }
    return out;
  },
};

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

const appArmor: Control = {
  id: 'pss-apparmor',
  checkId: 'appArmorProfile',
  name: 'AppArmor',
  level: 'baseline',
  since: 0,
  check(pod) {
    const out: Violation[] = [];
    const allowed = 'unset, RuntimeDefault or Localhost';
    const bad = (p: unknown): boolean => isObj(p) && p.type !== 'RuntimeDefault' && p.type !== 'Localhost';
    const typeValue = (p: Obj): string => (p.type === undefined || p.type === null ? NOT_SET : show(p.type));
    const pp = podSC(pod)?.appArmorProfile;
    if (bad(pp)) out.push({ path: ppath(pod, 'securityContext', 'appArmorProfile', 'type'), field: 'spec.securityContext.appArmorProfile.type', value: typeValue(pp as Obj), allowed });
    for (const c of pod.containers) {
      const p = sc(c)?.appArmorProfile;
      if (bad(p)) out.push({ path: cpath(c, 'securityContext', 'appArmorProfile', 'type'), field: cfield(c, 'securityContext.appArmorProfile.type'), value: typeValue(p as Obj), allowed, container: c.name });
    }
    const ann = pod.metadata.annotations;
    if (isObj(ann)) {
      for (const [k, v] of Object.entries(ann)) {
        if (!k.startsWith(APPARMOR_ANNOTATION_PREFIX) || typeof v !== 'string') continue;
        if (v === '' || v === 'runtime/default' || v.startsWith('localhost/')) continue;
        out.push({ path: [...pod.metadataPath, 'annotations', k], field: `metadata.annotations["${k}"]`, value: show(v), allowed: 'unset, "", "runtime/default" or "localhost/<profile>"' });
      }
    }
    return out;
  },
};

const seLinux: Control = {
  id: 'pss-selinux',
  checkId: 'seLinuxOptions',
  name: 'SELinux',
  level: 'baseline',
  since: 0,
  check(pod) {
    const out: Violation[] = [];
    const types = seLinuxTypes(pod.minor);
    const visit = (opts: unknown, path: PathSeg[], field: string, container?: string): void => {
      if (!isObj(opts)) return;
      const t = opts.type;
      if (typeof t === 'string' && t !== '' && !types.includes(t)) {
        out.push({ path: [...path, 'type'], field: `${field}.type`, value: show(t), allowed: `unset, "" or one of ${list(types)}`, ...(container !== undefined ? { container } : {}) });
      }
      for (const k of ['user', 'role'] as const) {
        const v = opts[k];
        if (typeof v === 'string' && v !== '') out.push({ path: [...path, k], field: `${field}.${k}`, value: show(v), allowed: 'unset or ""', ...(container !== undefined ? { container } : {}) });
      }
    };
    visit(podSC(pod)?.seLinuxOptions, ppath(pod, 'securityContext', 'seLinuxOptions'), 'spec.securityContext.seLinuxOptions');
    for (const c of pod.containers) visit(sc(c)?.seLinuxOptions, cpath(c, 'securityContext', 'seLinuxOptions'), cfield(c, 'securityContext.seLinuxOptions'), c.name);
    return out;
  },
};

/** Containers whose procMount is set to something other than Default. */
function unmaskedProcMounts(pod: PodView): Violation[] {
  const out: Violation[] = [];
  for (const c of pod.containers) {
    const pm = sc(c)?.procMount;
    if (typeof pm !== 'string' || pm === 'Default') continue;
    out.push({ path: cpath(c, 'securityContext', 'procMount'), field: cfield(c, 'securityContext.procMount'), value: show(pm), allowed: 'unset or "Default"', container: c.name });
  }
  return out;
}

const procMount: Control = {
  id: 'pss-proc-mount',
  checkId: 'procMount',
  name: '/proc Mount Type',
  level: 'baseline',
  since: 0,
  check(pod) {
    // 1.35+: any value in a user namespace
    if (pod.minor >= 35 && inUserNamespace(pod)) return [];
    return unmaskedProcMounts(pod);
  },
};

function validSeccompType(t: unknown): boolean {
  return t === 'RuntimeDefault' || t === 'Localhost';
}

function seccompTypeValue(p: Obj): string {
  return p.type === undefined || p.type === null ? NOT_SET : show(p.type);
}

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

const seccompBaseline: Control = {
  id: 'pss-seccomp-baseline',
  checkId: 'seccompProfile_baseline',
  name: 'Seccomp',
  level: 'baseline',
  since: 0,
  check(pod) {
    const out: Violation[] = [];
    if (pod.minor < 19) {
      // before 1.19: the alpha annotations
      const ann = isObj(pod.metadata.annotations) ? pod.metadata.annotations : {};
      const keys = [SECCOMP_POD_ANNOTATION, ...pod.containers.map((c) => SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name)];
      for (const k of new Set(keys)) {
        const v = ann[k];
        if (typeof v !== 'string' || v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/')) continue;
        out.push({ path: [...pod.metadataPath, 'annotations', k], field: `metadata.annotations["${k}"]`, value: show(v), allowed: '"runtime/default", "docker/default" or "localhost/<profile>"' });
      }
      return out;
    }
    const allowed = 'unset, RuntimeDefault or Localhost';
    const pp = podSC(pod)?.seccompProfile;
    if (isObj(pp) && !validSeccompType(pp.type)) out.push({ path: ppath(pod, 'securityContext', 'seccompProfile', 'type'), field: 'spec.securityContext.seccompProfile.type', value: seccompTypeValue(pp), allowed });
    for (const c of pod.containers) {
      const p = sc(c)?.seccompProfile;
      if (isObj(p) && !validSeccompType(p.type)) out.push({ path: cpath(c, 'securityContext', 'seccompProfile', 'type'), field: cfield(c, 'securityContext.seccompProfile.type'), value: seccompTypeValue(p), allowed, container: c.name });
    }
    return out;
  },
};

const sysctls: Control = {
  id: 'pss-sysctls',
  checkId: 'sysctls',
  name: 'Sysctls',
  level: 'baseline',
  since: 0,
  check(pod) {
    const out: Violation[] = [];
    const l = podSC(pod)?.sysctls;
    if (!Array.isArray(l)) return out;
    const safe = safeSysctls(pod.minor);
    l.forEach((s: unknown, i: number) => {
      const name = get(s, 'name');
      if (typeof name !== 'string' || safe.includes(name)) return;
      out.push({ path: ppath(pod, 'securityContext', 'sysctls', i, 'name'), field: `spec.securityContext.sysctls[${String(i)}].name`, value: show(name), allowed: `one of ${list(safe)}` });
    });
    return out;
  },
};

// ---------------------------------------------------------------- restricted

export const ALLOWED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'] as const;
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

const volumeTypes: Control = {
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
      // PSA admits a volume as soon as one allowed source is set
      if (ALLOWED_VOLUME_TYPES.some((t) => isObj(v[t]))) return;
      // A volume with no known source is defaulted to emptyDir by the API server (or rejected).
      // hostPath is reported by pss-host-path-volumes.
      const t = RESTRICTED_VOLUME_TYPES.find((x) => isObj(v[x]));
      if (t === undefined || t === 'hostPath') return;
      const name = typeof v.name === 'string' ? ` (volume "${v.name}")` : '';
      out.push({ path: ppath(pod, 'volumes', i, t), field: `spec.volumes[${String(i)}].${t}${name}`, value: 'set', allowed: `one of ${list(ALLOWED_VOLUME_TYPES)}` });
    });
    return out;
  },
};

const privilegeEscalation: Control = {
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
      out.push({ path: p, field: cfield(c, 'securityContext.allowPrivilegeEscalation'), value: typeof v === 'boolean' ? String(v) : NOT_SET, allowed: 'false', container: c.name, fix: { op: 'set', path: p, value: false, safe: v === undefined || v === null } });
    }
    return out;
  },
};

const runAsNonRoot: Control = {
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
      out.push({ path: p, field: 'spec.securityContext.runAsNonRoot', value: 'false', allowed: 'true, or unset when every container sets true', fix: { op: 'set', path: p, value: true, safe: false } });
    }
    const unset: ContainerRef[] = [];
    for (const c of pod.containers) {
      const v = sc(c)?.runAsNonRoot;
      if (v === false) {
        const p = cpath(c, 'securityContext', 'runAsNonRoot');
        out.push({ path: p, field: cfield(c, 'securityContext.runAsNonRoot'), value: 'false', allowed: 'true, or unset when the pod sets true', container: c.name, fix: { op: 'set', path: p, value: true, safe: false } });
      }
      else if (v !== true) unset.push(c);
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
function missing(pod: PodView, unset: ContainerRef[], key: string, podAllowed: string, containerAllowed: string, fixValue?: FixValue): Violation[] {
  if (unset.length === 0) return [];
  const fix = (path: PathSeg[]): Pick<Violation, 'fix'> => (fixValue !== undefined ? { fix: { op: 'set', path, value: fixValue, safe: true } } : {});
  if (unset.length === pod.containers.length) {
    const path = ppath(pod, 'securityContext', key);
    return [{ path, field: `spec.securityContext.${key}`, value: NOT_SET, allowed: `${podAllowed} (here, or in every container)`, ...fix(path) }];
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

const runAsUser: Control = {
  id: 'pss-run-as-user',
  checkId: 'runAsUser',
  name: 'Running as Non-root user',
  level: 'restricted',
  since: 23,
  check(pod) {
    if (pod.minor >= 35 && inUserNamespace(pod)) return [];
    const out: Violation[] = [];
    const allowed = 'unset or a non-zero UID';
    if (podSC(pod)?.runAsUser === 0) out.push({ path: ppath(pod, 'securityContext', 'runAsUser'), field: 'spec.securityContext.runAsUser', value: '0', allowed });
    for (const c of pod.containers) {
      if (sc(c)?.runAsUser === 0) out.push({ path: cpath(c, 'securityContext', 'runAsUser'), field: cfield(c, 'securityContext.runAsUser'), value: '0', allowed, container: c.name });
    }
    return out;
  },
};

const seccompRestricted: Control = {
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
    return missing(pod, unset, 'seccompProfile', 'type RuntimeDefault or Localhost', 'type RuntimeDefault or Localhost', { type: 'RuntimeDefault' });
  },
};

const capabilitiesRestricted: Control = {
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
        out.push({
          fix: { op: 'append', path: cpath(c, 'securityContext', 'capabilities', 'drop'), value: 'ALL', safe: true },
          path: cpath(c, 'securityContext', 'capabilities', 'drop'),
          field: cfield(c, 'securityContext.capabilities.drop'),
          value: Array.isArray(drop) ? JSON.stringify(drop) : NOT_SET,
          allowed: 'a list that includes "ALL"',
          container: c.name,
        });
      }
      capabilityList(c, 'add').forEach((cap, i) => {
        // capabilities outside the baseline allow-list are pss-capabilities-baseline's findings
        if (typeof cap !== 'string' || cap === 'NET_BIND_SERVICE' || !CAPS_BASELINE.has(cap)) return;
        out.push({ path: cpath(c, 'securityContext', 'capabilities', 'add', i), field: cfield(c, `securityContext.capabilities.add[${String(i)}]`), value: show(cap), allowed: 'only NET_BIND_SERVICE', container: c.name });
      });
    }
    return out;
  },
};

const procMountRestricted: Control = {
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

export const BASELINE_CONTROLS: readonly Control[] = [hostProcess, hostNamespaces, privileged, capabilitiesBaseline, hostPathVolumes, hostPorts, hostProbes, appArmor, seLinux, procMount, seccompBaseline, sysctls];
export const RESTRICTED_CONTROLS: readonly Control[] = [volumeTypes, privilegeEscalation, runAsNonRoot, runAsUser, seccompRestricted, capabilitiesRestricted, procMountRestricted];
export const CONTROLS: readonly Control[] = [...BASELINE_CONTROLS, ...RESTRICTED_CONTROLS];

export function control(id: string): Control {
  const c = CONTROLS.find((x) => x.id === id);
  if (!c) throw new Error(`unknown Pod Security control "${id}"`);
  return c;
}

/** Every violation of a level's controls (baseline: the 12 baseline controls; restricted: all 19), for a pod view. */
export function evaluate(pod: PodView, level: Level): { control: Control; violation: Violation }[] {
  const out: { control: Control; violation: Violation }[] = [];
  for (const c of level === 'baseline' ? BASELINE_CONTROLS : CONTROLS) {
    if (pod.minor < c.since) continue;
    for (const v of c.check(pod)) out.push({ control: c, violation: v });
  }
  return out;
}
