import { defineRule } from '../../src/engine/rule.js';
import { grants, isAggregated, policyRules } from '../../src/model/rbac.js';

interface Options {
  ignoreRoles: string[];
}

export default defineRule<Options>({
  meta: {
    id: 'rbac-pod-exec',
    severity: 'warning',
    category: 'security',
    description: 'Roles and ClusterRoles should not allow `pods/exec` or `pods/attach`.',
    rationale:
      "`pods/exec` runs any command in any container the role reaches, and `pods/attach` attaches to its console: whoever holds it acts with that container's identity, reads its mounted Secrets and service-account token, and bypasses every admission control on the pod spec. " +
      'Exec is also reachable with `get` on API servers that authorize a WebSocket upgrade by its GET request (newer versions check `create` too, with the AuthorizePodWebsocketUpgradeCreatePermission feature), so `get` alone is reported at `info`. Wildcards in verbs, resources or API groups include it.',
    remediation:
      'Remove `pods/exec` and `pods/attach` (and the wildcards that cover them) from roles that workloads hold; give humans exec through a separate, audited role bound to a group, or use ephemeral debug containers with `kubectl debug`. `ignoreRoles` lists role names to leave out (the built-in `admin`, `edit` and `cluster-admin` are).',
    tags: ['security', 'rbac'],
    appliesTo: ['RBACRole'],
    presets: ['recommended'],
    equivalents: {
      polaris: [
        'clusterrolePodExecAttach',
        'rolePodExecAttach',
        'clusterrolebindingPodExecAttach',
        'rolebindingClusterRolePodExecAttach',
        'rolebindingRolePodExecAttach',
      ],
    },
    messages: {
      exec: '{{kind}} {{name}} allows {{verb}} on {{resource}} (rules[{{index}}]{{via}}): its holder can run commands in the pods it reaches; remove it from roles that workloads use.',
      getOnly: {
        text: '{{kind}} {{name}} allows get on {{resource}} (rules[{{index}}]{{via}}): API servers that authorize a WebSocket exec by its GET request (those without the AuthorizePodWebsocketUpgradeCreatePermission check) let get alone run commands in the pods it reaches; remove it from roles that workloads use.',
        severity: 'info',
      },
    },
    schema: {
      type: 'object',
      properties: {
        ignoreRoles: {
          type: 'array',
          items: { type: 'string' },
          description:
            "Role names not reported (default: the built-in admin, edit and cluster-admin ClusterRoles, and GKE's calico role); ClusterRoles named system:… (and such Roles in kube-system and kube-public) are never reported.",
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { ignoreRoles: ['admin', 'edit', 'cluster-admin', 'gce:podsecuritypolicy:calico-sa'] },
    precision: 'high',
    securitySeverity: 7.0,
  },
  check(obj, ctx) {
    // Kubernetes' own roles: system: ClusterRoles, and system: Roles in kube-system and kube-public; a Role named system:… elsewhere is a user's
    const builtin =
      obj.name.startsWith('system:') && (obj.kind === 'ClusterRole' || obj.namespace === 'kube-system' || obj.namespace === 'kube-public');
    if (isAggregated(obj) || builtin || ctx.options.ignoreRoles.includes(obj.name)) return;
    for (const p of policyRules(obj)) {
      for (const resource of ['pods/exec', 'pods/attach']) {
        const g = grants(p, '', resource, ['create']) ?? grants(p, '', resource, ['get']);
        if (!g) continue;
        const via = [
          g.verb === '*' ? 'verb *' : '',
          g.resource !== resource ? `resource ${g.resource}` : '',
          p.apiGroups.includes('') ? '' : 'apiGroup *',
        ]
          .filter(Boolean)
          .join(', ');
        ctx.report({
          path: g.verbPath,
          messageId: g.verb === 'get' ? 'getOnly' : 'exec',
          data: {
            kind: obj.kind,
            name: obj.name,
            verb: g.verb === '*' ? 'every verb' : g.verb,
            resource,
            index: p.index,
            via: via ? ` via ${via}` : '',
          },
        });
        break;
      }
    }
  },
});
