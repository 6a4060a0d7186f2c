/**
 * One rule per Pod Security Standards control: the rule folders
 * (rules/pss-*) hold the documentation, this builds the rule around the
 * control's check (src/pss/controls.ts).
 */
import { defineRule, type AnyRule, type FixFunction, type PeerTool } from '../engine/rule.js';
import { control } from './controls.js';
import { evaluation } from './evaluation.js';
import { ENFORCE_LABEL, podView } from './pod.js';

export interface PssRuleDoc {
  description: string;
  /** why (the shared text about presets, versions and exemptions is appended) */
  rationale: string;
  remediation: string;
  equivalents?: Partial<Record<PeerTool, readonly string[]>>;
  example?: { before: string; after: string };
  securitySeverity?: number;
}

export const PSS_DOCS_URL = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

const MESSAGE = 'Pod Security {{level}} "{{control}}": {{field}} is {{value}}{{where}}; allowed: {{allowed}}. {{enforce}}';

export function pssRule(id: string, doc: PssRuleDoc): AnyRule {
  const c = control(id);
  const since = c.since > 0 ? ` It applies from policy version 1.${String(c.since)}.` : '';
  return defineRule<Record<string, never>, 'violation' | 'setField'>({
    meta: {
      id,
      severity: 'error',
      category: 'security',
      description: doc.description,
      rationale:
        `${doc.rationale}\n\n` +
        `This is the Pod Security Standards **${c.level}** control "${c.name}" exactly as the Pod Security admission controller checks it (PSA check \`${c.checkId}\`).${since} ` +
        `A namespace labelled \`${ENFORCE_LABEL}: ${c.level}\`${c.level === 'baseline' ? ' (or `restricted`)' : ''} rejects pods that violate it; for workloads (Deployment, Job, …) the controller's pods are rejected, so the rollout stalls. ` +
        "The policy version is the target Kubernetes version (`kubernetesVersion` in `.k8s-gold.yaml` or `--kubernetes-version`, default 1.33), or an older version pinned by the `pod-security.kubernetes.io/enforce-version` label of the pod's Namespace when that Namespace is in the input. " +
        `Off by default: \`extends: pss-${c.level}\`${c.level === 'baseline' ? ' (or `pss-restricted`)' : ''} in \`.k8s-gold.yaml\` turns it on. See [Pod Security Standards](${PSS_DOCS_URL}).`,
      remediation: doc.remediation,
      tags: ['security', 'pod-security-standards', `pss-${c.level}`],
      appliesTo: ['PodSpecHolder', 'CustomResource'],
      presets: c.level === 'baseline' ? ['pss-baseline', 'pss-restricted'] : ['pss-restricted'],
      ...(doc.equivalents ? { equivalents: doc.equivalents } : {}),
      ...(doc.example ? { example: doc.example } : {}),
      messages: { violation: MESSAGE, setField: 'Set {{field}} to {{value}}' },
      ...(c.fixable ? { fixable: true as const } : {}),
      ...(c.suggests ? { hasSuggestions: true as const } : {}),
      schema: { type: 'object', properties: {}, additionalProperties: false },
      defaultOptions: {},
      precision: 'very-high',
      securitySeverity: doc.securitySeverity ?? (c.level === 'baseline' ? 7.5 : 5.0),
    },
    check(obj, ctx) {
      const pod = podView(obj, ctx.settings, ctx.index);
      if (!pod || pod.minor < c.since) return;
      // the controls are evaluated once per pod view for the 19 rules (src/pss/evaluation.ts)
      const ev = evaluation(pod);
      const violations = ev.violations(c);
      if (violations.length === 0) return;
      const enforce = ev.enforce(c.level);
      for (const v of violations) {
        const data = {
          level: c.level,
          control: c.name,
          field: v.field,
          value: v.value,
          where: v.container !== undefined ? ` (container "${v.container}")` : '',
          allowed: v.allowed,
          enforce,
        };
        const f = v.fix;
        if (!f) {
          ctx.report({ path: v.path, messageId: 'violation', data });
          continue;
        }
        const fn: FixFunction = (fixer) => (f.op === 'set' ? fixer.set(f.path, f.value) : fixer.append(f.path, f.value));
        if (f.safe) ctx.report({ path: v.path, messageId: 'violation', data, fix: fn });
        else
          ctx.report({
            path: v.path,
            messageId: 'violation',
            data,
            suggest: [{ messageId: 'setField', data: { field: v.field, value: JSON.stringify(f.value) }, fix: fn }],
          });
      }
    },
  });
}
