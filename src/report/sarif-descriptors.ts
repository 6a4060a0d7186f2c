/** SARIF reporting descriptors: the rules' (and each policy id's) and the notifications'. */
import type * as Sarif from 'sarif';
import { helpUri, type AnyRule } from '../engine/rule.js';
import type { Severity } from '../engine/rule.js';

export const INFORMATION_URI = 'https://github.com/k8s-gold/k8s-gold';

/** Notification descriptors (tool.driver.notifications), referenced by index. */
export const NOTIFICATIONS = [
  {
    id: 'file-not-linted',
    name: 'FileNotLinted',
    text: 'A file could not be read or parsed, so some or all of its objects were not linted.',
  },
  { id: 'internal-error', name: 'InternalError', text: 'k8s-gold failed internally; the results are incomplete. Please report this.' },
  { id: 'result-limit', name: 'ResultLimit', text: "The results exceeded GitHub code scanning's limits; the least severe were left out." },
  { id: 'not-linted', name: 'NotLinted', text: 'Files were skipped (for example Helm templates, which must be rendered first).' },
] as const;
export type NotificationId = (typeof NOTIFICATIONS)[number]['id'];

export function level(l: Severity): Sarif.ReportingConfiguration.level {
  return l === 'error' ? 'error' : l === 'warning' ? 'warning' : 'note';
}

function plain(md: string): string {
  return md
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1');
}

/** SARIF's human-readable rule name; SARIF1001 wants it to differ from the id (even in case only). */
function pascal(id: string): string {
  const name = id.replace(/(^|[-/])([a-z0-9])/g, (_s, _d, ch: string) => ch.toUpperCase());
  return name.toLowerCase() === id.toLowerCase() ? `${name}Check` : name;
}

export function ruleDescriptor(r: AnyRule): Sarif.ReportingDescriptor {
  const m = r.meta;
  const props: Record<string, unknown> = {
    tags: [...m.tags],
    precision: m.precision ?? 'high',
    'problem.severity': m.severity === 'info' ? 'recommendation' : m.severity,
    category: m.category,
  };
  if (m.tags.includes('security')) {
    const s = Math.min(10, Math.max(0.1, m.securitySeverity ?? (m.severity === 'error' ? 7.0 : m.severity === 'warning' ? 5.0 : 3.0)));
    props['security-severity'] = s.toFixed(1);
  }
  const uri = helpUri(m);
  return {
    id: m.id,
    name: pascal(m.id),
    shortDescription: { text: m.description },
    fullDescription: { text: plain(m.rationale), markdown: m.rationale },
    help: {
      text: `${plain(m.rationale)}\n\nHow to fix: ${plain(m.remediation)}\n\nDocumentation: ${uri}`,
      markdown: `${m.rationale}\n\n**How to fix:** ${m.remediation}\n\n[Documentation](${uri})`,
    },
    helpUri: uri,
    defaultConfiguration: { level: level(m.severity) },
    properties: props,
  };
}

/**
 * The descriptor of one policy's own rule id (`vap/<policy>`, `crd-rule/<crd>`; see `meta.instanceIds`): the
 * metadata of the rule that reports it, under its id and name, related to that rule.
 */
export function instanceDescriptor(r: AnyRule, id: string, ruleIdx: number | undefined): Sarif.ReportingDescriptor {
  const d = ruleDescriptor(r);
  const of = r.meta.instanceIds?.of;
  const name = id.slice(id.indexOf('/') + 1);
  return {
    ...d,
    id,
    name: pascal(id.replace(/\./g, '-')),
    shortDescription: { text: `${of ? `${of} ${name}` : name}: ${r.meta.description}` },
    ...(ruleIdx !== undefined ? { relationships: [{ target: { id: r.meta.id, index: ruleIdx }, kinds: ['superset'] }] } : {}),
  };
}

export function notificationDescriptorRef(id: NotificationId): Sarif.ReportingDescriptorReference {
  return { id, index: NOTIFICATIONS.findIndex((n) => n.id === id) };
}
