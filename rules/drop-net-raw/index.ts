import { defineRule } from '../../src/engine/rule.js';
import { asArray, isObj } from '../../src/model/object.js';
import { containers } from '../../src/model/workload.js';

const capName = (c: unknown): string => (typeof c === 'string' ? c.toUpperCase().replace(/^CAP_/, '') : '');

export default defineRule({
  meta: {
    id: 'drop-net-raw',
    severity: 'warning',
    category: 'security',
    description: 'Containers should drop the `NET_RAW` capability (`capabilities.drop: [ALL]` or `[NET_RAW]`).',
    rationale:
      "Container runtimes grant `NET_RAW` by default. It lets a process craft raw packets: ARP and DNS spoofing of other pods on the node's network, and it has been the entry point of container-escape CVEs (CVE-2020-14386). Almost no application needs it (`ping` is the usual exception). " +
      'Pod Security `restricted` requires dropping `ALL`; this rule asks for the one capability that matters most, and is not on by default because most manifests drop nothing.',
    remediation:
      'Add `securityContext.capabilities.drop: [ALL]` to each container (then `add` back only what it needs, e.g. `NET_BIND_SERVICE`), or at least `drop: [NET_RAW]`.',
    tags: ['security', 'security-context', 'capabilities'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: { 'kube-linter': ['drop-net-raw-capability'], checkov: ['CKV_K8S_28'] },
    fixable: true,
    hasSuggestions: true,
    messages: {
      dropAll: 'Drop every capability (capabilities.drop: [ALL]) in container "{{container}}"',
      keep: 'container "{{container}}" of {{kind}} {{name}} keeps NET_RAW ({{where}}), which allows packet spoofing on the node network; add capabilities.drop: [ALL] (or NET_RAW).',
      added:
        'container "{{container}}" of {{kind}} {{name}} adds NET_RAW back, which allows packet spoofing on the node network; remove it from capabilities.add unless the process sends raw packets.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
    securitySeverity: 4.0,
  },
  check(obj, ctx) {
    for (const c of containers(obj)) {
      const sc = isObj(c.container.securityContext) ? c.container.securityContext : undefined;
      if (sc?.privileged === true) continue; // privileged-container reports it: every capability
      const caps = sc && isObj(sc.capabilities) ? sc.capabilities : undefined;
      const data = { container: c.name, kind: obj.kind, name: obj.name, where: '' };
      const addIdx = asArray(caps?.add).findIndex((x) => ['NET_RAW', 'ALL'].includes(capName(x)));
      if (addIdx >= 0) {
        ctx.report({ path: [...c.path, 'securityContext', 'capabilities', 'add', addIdx], messageId: 'added', data });
        continue;
      }
      if (asArray(caps?.drop).some((x) => ['NET_RAW', 'ALL'].includes(capName(x)))) continue;
      const path =
        caps && Array.isArray(caps.drop)
          ? [...c.path, 'securityContext', 'capabilities', 'drop']
          : caps
            ? [...c.path, 'securityContext', 'capabilities']
            : sc
              ? [...c.path, 'securityContext']
              : c.path;
      data.where = caps && Array.isArray(caps.drop) ? 'its drop list does not name it' : 'nothing is dropped';
      const drop = [...c.path, 'securityContext', 'capabilities', 'drop'];
      ctx.report({
        path,
        messageId: 'keep',
        data,
        fix: (f) => f.append(drop, 'NET_RAW'),
        suggest: [{ messageId: 'dropAll', data, fix: (f) => f.append(drop, 'ALL') }],
      });
    }
  },
});
