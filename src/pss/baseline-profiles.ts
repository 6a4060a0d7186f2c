/** The baseline Pod Security controls on security profiles and kernel settings: AppArmor, SELinux, procMount, seccomp, sysctls. */
import type { PathSeg } from '../parse/source.js';
import { isObj, type Obj } from '../model/object.js';
import {
  NOT_SET,
  cfield,
  cpath,
  get,
  inUserNamespace,
  list,
  podSC,
  ppath,
  sc,
  show,
  unmaskedProcMounts,
  type Control,
  type Violation,
} from './check.js';

/** Safe sysctls by the policy version that added them. */
export const SAFE_SYSCTLS: readonly { since: number; names: readonly string[] }[] = [
  {
    since: 0,
    names: [
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
      'net.ipv4.ip_unprivileged_port_start',
    ],
  },
  { since: 27, names: ['net.ipv4.ip_local_reserved_ports'] },
  {
    since: 29,
    names: ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'],
  },
  { since: 32, names: ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'] },
  { since: 37, names: ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'] },
];

export function safeSysctls(minor: number): string[] {
  return SAFE_SYSCTLS.filter((s) => minor >= s.since).flatMap((s) => s.names);
}

export function seLinuxTypes(minor: number): string[] {
  return ['container_t', 'container_init_t', 'container_kvm_t', ...(minor >= 31 ? ['container_engine_t'] : [])];
}

const SELINUX_TYPES_BEFORE_31 = seLinuxTypes(30);
const SELINUX_TYPES_FROM_31 = seLinuxTypes(31);

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

export const appArmor: Control = {
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
    if (bad(pp))
      out.push({
        path: ppath(pod, 'securityContext', 'appArmorProfile', 'type'),
        field: 'spec.securityContext.appArmorProfile.type',
        value: typeValue(pp as Obj),
        allowed,
      });
    for (const c of pod.containers) {
      const p = sc(c)?.appArmorProfile;
      if (bad(p))
        out.push({
          path: cpath(c, 'securityContext', 'appArmorProfile', 'type'),
          field: cfield(c, 'securityContext.appArmorProfile.type'),
          value: typeValue(p as Obj),
          allowed,
          container: c.name,
        });
    }
    const ann = pod.metadata.annotations;
    if (isObj(ann)) {
      for (const k of Object.keys(ann)) {
        if (!k.startsWith(APPARMOR_ANNOTATION_PREFIX)) continue;
        const v = ann[k];
        if (typeof v !== 'string') continue;
        if (v === '' || v === 'runtime/default' || v.startsWith('localhost/')) continue;
        out.push({
          path: [...pod.metadataPath, 'annotations', k],
          field: `metadata.annotations["${k}"]`,
          value: show(v),
          allowed: 'unset, "", "runtime/default" or "localhost/<profile>"',
        });
      }
    }
    return out;
  },
};

export const seLinux: Control = {
  id: 'pss-selinux',
  checkId: 'seLinuxOptions',
  name: 'SELinux',
  level: 'baseline',
  since: 0,
  check(pod) {
    const out: Violation[] = [];
    const types = pod.minor >= 31 ? SELINUX_TYPES_FROM_31 : SELINUX_TYPES_BEFORE_31;
    const visit = (opts: unknown, path: PathSeg[], field: string, container?: string): void => {
      if (!isObj(opts)) return;
      const t = opts.type;
      if (typeof t === 'string' && t !== '' && !types.includes(t)) {
        out.push({
          path: [...path, 'type'],
          field: `${field}.type`,
          value: show(t),
          allowed: `unset, "" or one of ${list(types)}`,
          ...(container !== undefined ? { container } : {}),
        });
      }
      for (const k of ['user', 'role'] as const) {
        const v = opts[k];
        if (typeof v === 'string' && v !== '')
          out.push({
            path: [...path, k],
            field: `${field}.${k}`,
            value: show(v),
            allowed: 'unset or ""',
            ...(container !== undefined ? { container } : {}),
          });
      }
    };
    // the paths and field names are made only for the options that are set
    const po = podSC(pod)?.seLinuxOptions;
    if (isObj(po)) visit(po, ppath(pod, 'securityContext', 'seLinuxOptions'), 'spec.securityContext.seLinuxOptions');
    for (const c of pod.containers) {
      const o = sc(c)?.seLinuxOptions;
      if (isObj(o)) visit(o, cpath(c, 'securityContext', 'seLinuxOptions'), cfield(c, 'securityContext.seLinuxOptions'), c.name);
    }
    return out;
  },
};

export const procMount: Control = {
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

export const seccompBaseline: Control = {
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
        out.push({
          path: [...pod.metadataPath, 'annotations', k],
          field: `metadata.annotations["${k}"]`,
          value: show(v),
          allowed: '"runtime/default", "docker/default" or "localhost/<profile>"',
        });
      }
      return out;
    }
    const allowed = 'unset, RuntimeDefault or Localhost';
    const pp = podSC(pod)?.seccompProfile;
    if (isObj(pp) && !validSeccompType(pp.type))
      out.push({
        path: ppath(pod, 'securityContext', 'seccompProfile', 'type'),
        field: 'spec.securityContext.seccompProfile.type',
        value: seccompTypeValue(pp),
        allowed,
      });
    for (const c of pod.containers) {
      const p = sc(c)?.seccompProfile;
      if (isObj(p) && !validSeccompType(p.type))
        out.push({
          path: cpath(c, 'securityContext', 'seccompProfile', 'type'),
          field: cfield(c, 'securityContext.seccompProfile.type'),
          value: seccompTypeValue(p),
          allowed,
          container: c.name,
        });
    }
    return out;
  },
};

export const sysctls: Control = {
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
      out.push({
        path: ppath(pod, 'securityContext', 'sysctls', i, 'name'),
        field: `spec.securityContext.sysctls[${String(i)}].name`,
        value: show(name),
        allowed: `one of ${list(safe)}`,
      });
    });
    return out;
  },
};
