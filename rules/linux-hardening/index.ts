import { defineRule } from '../../src/engine/rule.js';
import { isObj, own } from '../../src/model/object.js';
import { containers, podTemplate } from '../../src/model/workload.js';

const confined = (profile: unknown): boolean => {
  const t = own(profile, 'type');
  return typeof t === 'string' && t !== '' && t !== 'Unconfined';
};
const nonEmpty = (v: unknown): boolean => isObj(v) && Object.keys(v).length > 0;

export default defineRule({
  meta: {
    id: 'linux-hardening',
    severity: 'info',
    category: 'security',
    description:
      'Every container is confined by at least one Linux hardening mechanism: seccomp, AppArmor, SELinux, or dropped capabilities.',
    rationale:
      "A container with the runtime's defaults and no profile of its own may, depending on the node, run without a seccomp filter (the kubelet applies `RuntimeDefault` only with `--seccomp-default`) and with the runtime's default capabilities: a compromised process can then use hundreds of system calls and privileges it never needs. " +
      "One explicit mechanism makes the confinement part of the manifest instead of the node's configuration. The Pod Security rules (`pss-seccomp-restricted`, `pss-capabilities-restricted`) require specific ones; this rule, off by default, accepts any.\n\n" +
      "Decisions: satisfied by a seccomp profile other than `Unconfined` on the container or inherited from the pod (a container's `Unconfined` overrides the pod's), an AppArmor profile other than `Unconfined` (field on pod or container, or the `container.apparmor.security.beta.kubernetes.io/<container>` annotation), non-empty `seLinuxOptions` on pod or container, or a non-empty `capabilities.drop` without `add: [ALL]`.",
    remediation:
      'Set `securityContext.seccompProfile.type: RuntimeDefault` in the pod spec (covers every container), or drop capabilities (`capabilities.drop: [ALL]`) in each container.',
    tags: ['security', 'hardening'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: { polaris: ['linuxHardening'] },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    messages: {
      none: 'container {{container}} is confined by none of seccomp, AppArmor, SELinux or dropped capabilities, so a compromised process keeps every system call and default privilege; set securityContext.seccompProfile.type: RuntimeDefault (pod or container) or capabilities.drop: [ALL].',
    },
    precision: 'high',
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl) return;
    const podSc = own(tpl.spec, 'securityContext');
    const podSeccomp = own(podSc, 'seccompProfile');
    const podAppArmor = own(podSc, 'appArmorProfile');
    const podSelinux = nonEmpty(own(podSc, 'seLinuxOptions'));
    const annotations = own(tpl.metadata, 'annotations');
    for (const c of containers(obj)) {
      const sc = own(c.container, 'securityContext');
      const seccomp = own(sc, 'seccompProfile');
      if (seccomp !== undefined && seccomp !== null ? confined(seccomp) : confined(podSeccomp)) continue;
      const appArmor = own(sc, 'appArmorProfile');
      if (appArmor !== undefined && appArmor !== null ? confined(appArmor) : confined(podAppArmor)) continue;
      const ann = isObj(annotations) ? own(annotations, `container.apparmor.security.beta.kubernetes.io/${c.name}`) : undefined;
      if (typeof ann === 'string' && ann !== '' && ann !== 'unconfined') continue;
      if (podSelinux || nonEmpty(own(sc, 'seLinuxOptions'))) continue;
      const caps = own(sc, 'capabilities');
      const drop = own(caps, 'drop');
      const add = own(caps, 'add');
      if (
        Array.isArray(drop) &&
        drop.length > 0 &&
        !(Array.isArray(add) && add.some((a) => typeof a === 'string' && a.toUpperCase() === 'ALL'))
      )
        continue;
      ctx.report({ path: [...c.path, 'securityContext'], messageId: 'none', data: { container: c.name } });
    }
  },
});
