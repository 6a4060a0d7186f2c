import { defineRule } from '../../src/engine/rule.js';
import { asArray, isObj } from '../../src/model/object.js';
import { containers } from '../../src/model/workload.js';

export default defineRule({
  meta: {
    id: 'secret-in-env',
    severity: 'info',
    category: 'security',
    description:
      'Secrets read into environment variables (`secretKeyRef`, `envFrom.secretRef`) are reported; mounting them as files is safer.',
    rationale:
      'Environment variables leak: crash reporters and debug endpoints dump them, child processes inherit them, `kubectl describe`-style tooling and `/proc/<pid>/environ` show them, and they never change while the process runs, so a rotated Secret needs a restart. ' +
      'A Secret mounted as a volume is readable only through the file system, is updated in place when the Secret changes, and can be restricted by file mode. Many applications only read configuration from the environment, so this is `info`, off by default.',
    remediation:
      'Mount the Secret as a volume (`volumes[].secret`, `volumeMounts[].readOnly: true`) and point the application at the file (many support `*_FILE` variables, e.g. `POSTGRES_PASSWORD_FILE`).',
    tags: ['security', 'env', 'secrets'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: { 'kube-linter': ['read-secret-from-env-var'], checkov: ['CKV_K8S_35'] },
    messages: {
      keyRef:
        'container "{{container}}" of {{kind}} {{name}} reads key {{key}} of Secret {{secret}} into env {{var}}; mount the Secret as a file instead.',
      envFrom:
        'container "{{container}}" of {{kind}} {{name}} loads every key of Secret {{secret}} into its environment (envFrom); mount the Secret as a file instead.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
    securitySeverity: 3.0,
  },
  check(obj, ctx) {
    for (const c of containers(obj)) {
      const base = { container: c.name, kind: obj.kind, name: obj.name };
      asArray(c.container.env).forEach((e, i) => {
        const ref = isObj(e) && isObj(e.valueFrom) ? e.valueFrom.secretKeyRef : undefined;
        if (!isObj(ref) || !isObj(e)) return;
        ctx.report({
          path: [...c.path, 'env', i, 'valueFrom', 'secretKeyRef'],
          messageId: 'keyRef',
          data: { ...base, key: String(ref.key), secret: String(ref.name), var: String(e.name) },
        });
      });
      asArray(c.container.envFrom).forEach((e, i) => {
        if (!isObj(e) || !isObj(e.secretRef)) return;
        ctx.report({
          path: [...c.path, 'envFrom', i, 'secretRef'],
          messageId: 'envFrom',
          data: { ...base, secret: String(e.secretRef.name) },
        });
      });
    }
  },
});
