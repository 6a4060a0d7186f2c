import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';
import { containers, podTemplate } from '../../src/model/workload.js';

interface Options {
  reportUnset: boolean;
}

export default defineRule<Options>({
  meta: {
    id: 'privilege-escalation',
    severity: 'warning',
    category: 'security',
    description: 'Containers should set `securityContext.allowPrivilegeEscalation: false`.',
    rationale:
      "Unless `allowPrivilegeEscalation` is `false`, the kernel's `no_new_privs` flag is not set, so a process in the container can gain privileges through setuid/setgid binaries or file capabilities (a `sudo`, `su` or `ping` left in the image) even when it starts as a non-root user. The field defaults to allowing escalation. " +
      'The Pod Security Standards `restricted` profile requires `false` on every container (init and ephemeral included): pods without it are rejected at admission in namespaces that enforce it, which is a common surprise when a namespace is hardened. The exact Pod Security check (with its Windows exemption) is `pss-privilege-escalation` (preset `pss-restricted`).',
    remediation:
      "Set `allowPrivilegeEscalation: false` in every container's `securityContext` (it is a container field; the pod-level securityContext has no such field). Set `reportUnset: false` to only report explicit `true`.",
    tags: ['security', 'pod-security-standards', 'kube-score', 'polaris'],
    schema: {
      type: 'object',
      properties: {
        reportUnset: { type: 'boolean', description: 'Also report containers that leave the field unset (it defaults to true).' },
      },
      additionalProperties: false,
    },
    defaultOptions: { reportUnset: true },
    appliesTo: ['PodSpecHolder'],
    messages: {
      allowed:
        'container "{{container}}" sets allowPrivilegeEscalation: true, so setuid binaries and file capabilities in the image can raise its privileges, and Pod Security restricted rejects it; set it to false.',
      unset:
        'container "{{container}}" does not set securityContext.allowPrivilegeEscalation: false; it defaults to allowing setuid/file-capability escalation, and Pod Security restricted rejects the pod. Add allowPrivilegeEscalation: false.',
    },
    precision: 'very-high',
    securitySeverity: 5.0,
    fixable: true,
    hasSuggestions: true,
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl) return;
    // Windows pods: the field is not supported there (the API rejects it with os.name windows).
    if (isObj(tpl.spec.os) && tpl.spec.os.name === 'windows') return;
    for (const c of containers(obj, ['init', 'sidecar', 'regular', 'ephemeral'], tpl)) {
      const sc = c.container.securityContext;
      const scObj = isObj(sc) ? sc : undefined;
      if (scObj?.privileged === true) continue; // privileged-container reports it; privileged implies escalation
      const ape = scObj?.allowPrivilegeEscalation;
      if (ape === false) continue;
      if (ape === true) {
        ctx.report({
          path: [...c.path, 'securityContext', 'allowPrivilegeEscalation'],
          messageId: 'allowed',
          data: { container: c.name },
          // an explicit true was chosen: a person decides
          suggest: [
            {
              desc: 'Set allowPrivilegeEscalation: false',
              fix: (f) => f.set([...c.path, 'securityContext', 'allowPrivilegeEscalation'], false),
            },
          ],
        });
        continue;
      }
      if (ape !== undefined && ape !== null) continue; // wrong type: schema rules report it
      if (!ctx.options.reportUnset) continue;
      ctx.report({
        path: scObj ? [...c.path, 'securityContext'] : c.path,
        messageId: 'unset',
        data: { container: c.name },
        fix: (f) => f.set([...c.path, 'securityContext', 'allowPrivilegeEscalation'], false),
      });
    }
  },
});
