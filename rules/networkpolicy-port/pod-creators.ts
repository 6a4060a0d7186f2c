import { boundRole, grants, policyRules, subjects } from '../../src/model/rbac.js';
import type { ObjectIndex } from '../../src/model/index.js';
import { podServiceAccount } from '../../src/model/service-account.js';
import { podTemplate } from '../../src/model/workload.js';

/**
 * A workload of the namespace whose service account the input's RBAC lets create pods there, as a note: pods it
 * starts at run time (a spawner: JupyterHub's hub starts each user's server pod, a CI controller its agents) carry
 * labels that no pod template in the input shows, so a policy selecting none of the templates may select those.
 */
export function podCreatorNote(index: ObjectIndex, ns: string): string | undefined {
  const bindings = [...index.list('RoleBinding', ns), ...index.list('ClusterRoleBinding')];
  const accounts = new Map<string, string>();
  for (const b of bindings) {
    const role = boundRole(b, index);
    if (!role || !policyRules(role).some((p) => grants(p, '', 'pods', ['create']))) continue;
    for (const s of subjects(b))
      if (s.kind === 'ServiceAccount' && (s.namespace ?? b.namespace) === ns && !accounts.has(s.name))
        accounts.set(s.name, `${role.kind} ${role.name}`);
  }
  if (accounts.size === 0) return undefined;
  for (const w of index.workloads(ns)) {
    const tpl = podTemplate(w);
    if (!tpl) continue;
    const sa = podServiceAccount(tpl).name;
    const role = accounts.get(sa);
    if (role)
      return ` ${w.kind}/${w.name} can create pods (service account ${sa}, bound to ${role}), and pods it starts at run time may carry these labels.`;
  }
  return undefined;
}
