/**
 * Which objects a policy applies to (`match`) and which parts of them it
 * checks (`target`): shared by the JSON-Schema policies (policy.ts) and the
 * CEL policies (cel-policy.ts).
 */
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import type { RuleMeta, Severity } from '../engine/rule.js';
import type { ManifestObject, Obj } from '../model/object.js';
import { containers, podTemplate, type ContainerKind } from '../model/workload.js';
import type { PathSeg } from '../parse/source.js';
import { selectorMatches } from '../util/selector.js';

export interface PolicyDoc {
  id: string;
  severity?: Severity;
  description: string;
  message?: string;
  rationale?: string;
  remediation?: string;
  helpUrl?: string;
  category?: string;
  tags?: string[];
  match?: {
    kinds?: string[];
    apiGroups?: string[];
    namespaces?: string[];
    excludeNamespaces?: string[];
    names?: string[];
    labelSelector?: Record<string, unknown>;
    files?: string[];
    excludeFiles?: string[];
  };
  target?: 'object' | 'podSpec' | 'container';
  containerKinds?: ContainerKind[];
  condition?: Record<string, unknown>;
  /** a CEL expression instead of the JSON Schema condition */
  expression?: string;
}

export function matches(policy: PolicyDoc, obj: ManifestObject<Obj>, configDir: string): boolean {
  const m = policy.match;
  if (!m) return true;
  if (m.kinds && !m.kinds.includes(obj.kind)) return false;
  if (m.apiGroups && !m.apiGroups.includes(obj.group)) return false;
  if (m.namespaces && !m.namespaces.some((g) => minimatch(obj.namespace, g))) return false;
  if (m.excludeNamespaces && m.excludeNamespaces.some((g) => minimatch(obj.namespace, g))) return false;
  if (m.names && !m.names.some((g) => minimatch(obj.name, g))) return false;
  if (m.labelSelector && !selectorMatches(m.labelSelector, obj.labels)) return false;
  if (m.files || m.excludeFiles) {
    const rel = path.relative(configDir, obj.file.absPath).split(path.sep).join('/');
    if (m.files && !m.files.some((g) => minimatch(rel, g, { dot: true }))) return false;
    if (m.excludeFiles && m.excludeFiles.some((g) => minimatch(rel, g, { dot: true }))) return false;
  }
  return true;
}

export interface Target {
  value: unknown;
  path: PathSeg[];
  container?: string;
}

export function targets(policy: PolicyDoc, obj: ManifestObject<Obj>): Target[] {
  switch (policy.target ?? 'object') {
    case 'object':
      return [{ value: obj.data, path: [] }];
    case 'podSpec': {
      const t = podTemplate(obj);
      return t ? [{ value: t.spec, path: t.specPath }] : [];
    }
    case 'container':
      return containers(obj, policy.containerKinds ?? ['init', 'sidecar', 'regular', 'ephemeral']).map((c) => ({
        value: c.container,
        path: c.path,
        container: c.name,
      }));
  }
}

/**
 * The rule metadata a policy file's policy declares, for JSON-Schema and CEL policies alike; `what` says
 * what the target must satisfy (the condition or the expression, as a fenced block).
 */
export function policyMeta(
  policy: PolicyDoc,
  file: string,
  display: string,
  what: string,
  tags: string[],
): RuleMeta<Record<string, unknown>> {
  return {
    id: policy.id,
    severity: policy.severity ?? 'error',
    category: policy.category ?? 'policy',
    description: policy.description,
    rationale: `${policy.rationale ?? policy.description}\n\nDefined by the policy file \`${display}\`${policy.match?.kinds ? `; applies to ${policy.match.kinds.join(', ')}` : ''}; target: ${policy.target ?? 'object'}. ${what}`,
    remediation: policy.remediation ?? 'Change the object so that it satisfies the policy, or suppress the finding with a reason.',
    helpUri: policy.helpUrl ?? `file://${file.split(path.sep).join('/')}`,
    tags: [...tags, ...(policy.tags ?? [])],
    defaultOptions: {},
    kinds: policy.match?.kinds,
    messages: { violation: policy.message ?? `${policy.description.replace(/\.$/, '')}: {{error}}` },
  };
}
