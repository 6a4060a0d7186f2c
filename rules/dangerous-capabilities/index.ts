import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';
import { containers } from '../../src/model/workload.js';

interface Options {
  /** capabilities reported as errors (root-equivalent) */
  forbidden: string[];
  /** capabilities reported as warnings */
  dangerous: string[];
  /** capabilities never reported */
  allowed: string[];
}

const WHY: Record<string, string> = {
  ALL: 'every capability, as good as privileged',
  SYS_ADMIN: 'mount, namespaces, BPF and more: practically root on the node',
  NET_ADMIN: 'rewrites the pod network: iptables, routes, interfaces (can intercept or redirect traffic)',
  SYS_PTRACE: "reads and injects into other processes' memory (with a shared PID namespace, other containers')",
  SYS_MODULE: 'loads kernel modules: root on the node',
  SYS_RAWIO: 'raw I/O to devices and memory',
  DAC_READ_SEARCH: 'bypasses file read permissions and enables open_by_handle_at container escapes',
  DAC_OVERRIDE: 'bypasses file permission checks',
  BPF: 'loads BPF programs into the kernel',
  PERFMON: 'observes other processes through perf',
  SYS_BOOT: 'reboots the node',
  SYS_TIME: 'changes the node clock',
  MAC_ADMIN: 'reconfigures AppArmor/SELinux',
  MAC_OVERRIDE: 'bypasses AppArmor/SELinux',
  NET_RAW: 'crafts raw packets (ARP/DNS spoofing inside the cluster network)',
  SYSLOG: 'reads the kernel log, leaking kernel addresses',
  SETFCAP: 'sets file capabilities, a privilege-escalation step',
};

/** "cap_sys_admin" → "SYS_ADMIN" (runtimes add the CAP_ prefix themselves). */
export function normalizeCapability(c: string): string {
  return c.trim().toUpperCase().replace(/^CAP_/, '');
}

export default defineRule<Options>({
  meta: {
    id: 'dangerous-capabilities',
    severity: 'warning',
    category: 'security',
    description: 'Containers must not add powerful Linux capabilities such as `ALL`, `SYS_ADMIN` or `NET_ADMIN`.',
    rationale:
      "Capabilities split root into pieces; some pieces are root anyway. `ALL` and `SYS_ADMIN` (mount, namespaces, BPF) or `SYS_MODULE` let a compromised process escape to the node, `NET_ADMIN` lets it rewrite the pod's network and intercept traffic, `SYS_PTRACE` lets it read other processes' memory. " +
      'The Pod Security Standards `baseline` profile rejects every added capability outside a short default list, so such pods also fail admission in hardened namespaces. The exact Pod Security checks are `pss-capabilities-baseline` (the allow-list, preset `pss-baseline`) and `pss-capabilities-restricted` (drop `ALL`, preset `pss-restricted`).',
    remediation:
      'Drop everything and add back only what the process needs: `capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}`. Often a capability can be avoided altogether (listen on a port above 1024, let a CNI plugin or an init container with a documented suppression do the network setup).',
    tags: ['security', 'pod-security-standards', 'kube-linter', 'polaris'],
    schema: {
      type: 'object',
      properties: {
        forbidden: { type: 'array', items: { type: 'string' }, description: 'Capabilities reported as errors (root-equivalent).' },
        dangerous: { type: 'array', items: { type: 'string' }, description: 'Capabilities reported as warnings.' },
        allowed: { type: 'array', items: { type: 'string' }, description: 'Capabilities never reported, even if listed above.' },
      },
      additionalProperties: false,
    },
    defaultOptions: {
      forbidden: ['ALL', 'SYS_ADMIN', 'SYS_MODULE', 'SYS_RAWIO', 'DAC_READ_SEARCH', 'BPF', 'SYS_BOOT', 'MAC_ADMIN', 'MAC_OVERRIDE'],
      dangerous: ['NET_ADMIN', 'SYS_PTRACE', 'NET_RAW', 'PERFMON', 'SYS_TIME', 'DAC_OVERRIDE', 'SYSLOG', 'SETFCAP'],
      allowed: [],
    },
    appliesTo: ['PodSpecHolder'],
    messages: {
      forbidden: {
        text: 'container "{{container}}" adds capability {{capability}}{{why}}; a compromise of this container gets that power too. Remove it and keep capabilities.drop: [ALL], adding back only what the process needs.',
        severity: 'error',
      },
      dangerous: {
        text: 'container "{{container}}" adds capability {{capability}}{{why}}; a compromise of this container gets that power too. Remove it and keep capabilities.drop: [ALL], adding back only what the process needs.',
        severity: 'warning',
      },
    },
    precision: 'very-high',
    securitySeverity: 7.5,
  },
  check(obj, ctx) {
    const norm = (l: string[]): Set<string> => new Set(l.map(normalizeCapability));
    const forbidden = norm(ctx.options.forbidden);
    const dangerous = norm(ctx.options.dangerous);
    const allowed = norm(ctx.options.allowed);
    for (const c of containers(obj, ['init', 'sidecar', 'regular', 'ephemeral'])) {
      const sc = c.container.securityContext;
      if (!isObj(sc) || !isObj(sc.capabilities)) continue;
      const add = sc.capabilities.add;
      if (!Array.isArray(add)) continue;
      add.forEach((raw: unknown, i: number) => {
        if (typeof raw !== 'string') return;
        const cap = normalizeCapability(raw);
        if (allowed.has(cap)) return;
        const isForbidden = forbidden.has(cap);
        if (!isForbidden && !dangerous.has(cap)) return;
        const why = WHY[cap] ? ` (${WHY[cap]})` : '';
        ctx.report({
          path: [...c.path, 'securityContext', 'capabilities', 'add', i],
          valueOnly: true,
          messageId: isForbidden ? 'forbidden' : 'dangerous',
          data: { container: c.name, capability: raw, why },
        });
      });
    }
  },
});
