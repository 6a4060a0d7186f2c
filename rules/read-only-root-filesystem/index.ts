import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';
import { containers } from '../../src/model/workload.js';

export default defineRule({
  meta: {
    id: 'read-only-root-filesystem',
    severity: 'warning',
    category: 'security',
    description: 'Containers should set `securityContext.readOnlyRootFilesystem: true`.',
    rationale:
      "A writable root file system lets an attacker who gets code execution in the container drop tools and binaries, change the application's own code or configuration, and persist until the container restarts; it also hides state in the container layer that is lost on restart and fills the node's disk. " +
      'With a read-only root, the only writable places are the volumes the spec declares. Many images write to `/tmp` or a cache directory and need an `emptyDir` there first, so the rule is not on by default.',
    remediation:
      'Set `securityContext.readOnlyRootFilesystem: true` on the container and mount an `emptyDir` at each directory the process writes (`/tmp`, `/var/cache/nginx`, `/var/run`). Run the container once with the setting to find them: the process fails with EROFS on the first write.',
    tags: ['security', 'security-context'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: {
      'kube-linter': ['no-read-only-root-fs'],
      polaris: ['notReadOnlyRootFilesystem'],
      'kube-score': ['Container Security Context ReadOnlyRootFilesystem'],
      checkov: ['CKV_K8S_22'],
    },
    messages: {
      off: 'container "{{container}}" of {{kind}} {{name}} sets readOnlyRootFilesystem: {{value}}, so a compromised process can change its own files; set it to true and mount an emptyDir where the process writes.',
      unset:
        'container "{{container}}" of {{kind}} {{name}} has a writable root file system (no securityContext.readOnlyRootFilesystem: true); set it and mount an emptyDir where the process writes.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
    securitySeverity: 4.0,
  },
  check(obj, ctx) {
    for (const c of containers(obj)) {
      const sc = c.container.securityContext;
      const v = isObj(sc) ? sc.readOnlyRootFilesystem : undefined;
      if (v === true) continue;
      const data = { container: c.name, kind: obj.kind, name: obj.name, value: String(v) };
      if (v !== undefined) ctx.report({ path: [...c.path, 'securityContext', 'readOnlyRootFilesystem'], messageId: 'off', data });
      else ctx.report({ path: isObj(sc) ? [...c.path, 'securityContext'] : c.path, messageId: 'unset', data });
    }
  },
});
