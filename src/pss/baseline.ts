/** The baseline Pod Security controls on host access and privileges (PSA policy/check_host*.go, privileged, capabilities_baseline). */
import type { PathSeg } from '../parse/source.js';
import { isObj } from '../model/object.js';
import { capabilityList, cfield, cpath, get, list, podSC, ppath, sc, show, type Control, type Violation } from './check.js';

// ---------------------------------------------------------------- baseline

export const CAPABILITIES_BASELINE = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
] as const;
export const CAPS_BASELINE = new Set<string>(CAPABILITIES_BASELINE);

export const hostProcess: Control = {
  id: 'pss-host-process',
  checkId: 'windowsHostProcess',
  name: 'HostProcess',
  level: 'baseline',
  since: 0,
  check(pod) {
    const out: Violation[] = [];
    const allowed = 'unset or false';
    if (get(podSC(pod), 'windowsOptions', 'hostProcess') === true) {
      out.push({
        path: ppath(pod, 'securityContext', 'windowsOptions', 'hostProcess'),
        field: 'spec.securityContext.windowsOptions.hostProcess',
        value: 'true',
        allowed,
      });
    }
    for (const c of pod.containers) {
      if (get(sc(c), 'windowsOptions', 'hostProcess') === true) {
        out.push({
          path: cpath(c, 'securityContext', 'windowsOptions', 'hostProcess'),
          field: cfield(c, 'securityContext.windowsOptions.hostProcess'),
          value: 'true',
          allowed,
          container: c.name,
        });
      }
    }
    return out;
  },
};

export const hostNamespaces: Control = {
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

export const privileged: Control = {
  id: 'pss-privileged',
  checkId: 'privileged',
  name: 'Privileged Containers',
  level: 'baseline',
  since: 0,
  check(pod) {
    const out: Violation[] = [];
    for (const c of pod.containers) {
      if (sc(c)?.privileged === true)
        out.push({
          path: cpath(c, 'securityContext', 'privileged'),
          field: cfield(c, 'securityContext.privileged'),
          value: 'true',
          allowed: 'unset or false',
          container: c.name,
        });
    }
    return out;
  },
};

export const capabilitiesBaseline: Control = {
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
        out.push({
          path: cpath(c, 'securityContext', 'capabilities', 'add', i),
          field: cfield(c, `securityContext.capabilities.add[${String(i)}]`),
          value: show(cap),
          allowed: `one of ${list(CAPABILITIES_BASELINE)}`,
          container: c.name,
        });
      });
    }
    return out;
  },
};

export const hostPathVolumes: Control = {
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
      out.push({
        path: ppath(pod, 'volumes', i, 'hostPath'),
        field: `spec.volumes[${String(i)}].hostPath${name}`,
        value: 'set',
        allowed: 'unset',
      });
    });
    return out;
  },
};

export const hostPorts: Control = {
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
        out.push({
          path: cpath(c, 'ports', i, 'hostPort'),
          field: cfield(c, `ports[${String(i)}].hostPort`),
          value: String(hp),
          allowed: 'unset or 0',
          container: c.name,
        });
      });
    }
    return out;
  },
};

export const hostProbes: Control = {
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
          out.push({
            path: cpath(c, ...where, kind, 'host'),
            field: cfield(c, `${where.join('.')}.${kind}.host`),
            value: show(host),
            allowed: 'unset or ""',
            container: c.name,
          });
        }
      }
    }
    return out;
  },
};
