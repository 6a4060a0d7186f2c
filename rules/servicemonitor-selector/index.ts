import { defineRule } from '../../src/engine/rule.js';
import { isObj, own } from '../../src/model/object.js';
import { selectorMatches } from '../../src/util/selector.js';

export default defineRule({
  meta: {
    id: 'servicemonitor-selector',
    severity: 'info',
    category: 'observability',
    description: 'A Prometheus-operator ServiceMonitor selects at least one Service in the input.',
    rationale:
      'A ServiceMonitor whose selector matches no Service produces no scrape target: the metrics, and every alert built on them, silently disappear, and nothing reports an error. ' +
      'A typo in a label, a label renamed in the Service, or a missing `namespaceSelector` for a Service in another namespace are the usual causes. The Service may come from outside the input, so the finding is `info` and the rule is off by default.\n\n' +
      "Decisions: as the Prometheus operator does, a ServiceMonitor without `namespaceSelector` looks in its own namespace, `matchNames` in the namespaces listed and `any: true` in all of them; the selector's `matchLabels` and `matchExpressions` are matched against the Services' own labels (not their pod selectors); an empty selector matches every Service.",
    remediation:
      'Make `spec.selector` match the labels of the Service that exposes the metrics port (its `metadata.labels`), and set `spec.namespaceSelector.matchNames` when that Service lives in another namespace.',
    tags: ['observability', 'prometheus'],
    appliesTo: ['monitoring.coreos.com/ServiceMonitor'],
    presets: [],
    equivalents: { 'kube-linter': ['dangling-servicemonitor'] },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    messages: {
      noService:
        "ServiceMonitor {{name}} selects no Service in {{where}} in the input, so Prometheus scrapes nothing for it; make spec.selector match the Service's labels{{hint}}.",
    },
    precision: 'medium',
  },
  check(obj, ctx) {
    const spec = obj.data.spec;
    if (!isObj(spec)) return;
    const selector = isObj(spec.selector) ? spec.selector : {};
    const nsSel = own(spec, 'namespaceSelector');
    const any = isObj(nsSel) && nsSel.any === true;
    const names = isObj(nsSel) && Array.isArray(nsSel.matchNames) ? nsSel.matchNames.filter((n): n is string => typeof n === 'string') : [];
    const namespaces = any ? undefined : names.length ? names : [obj.namespace];
    const candidates = namespaces === undefined ? ctx.index.list('Service') : namespaces.flatMap((ns) => ctx.index.list('Service', ns));
    if (candidates.some((s) => s.group === '' && selectorMatches(selector, s.labels))) return;
    const where = any
      ? 'any namespace'
      : names.length
        ? `namespace${names.length > 1 ? 's' : ''} ${names.join(', ')}`
        : obj.declaredNamespace
          ? `namespace ${obj.declaredNamespace}`
          : 'its namespace';
    ctx.report({
      path: ['spec', 'selector'],
      messageId: 'noService',
      data: {
        name: obj.name,
        where,
        hint: any || names.length ? '' : ' (or set spec.namespaceSelector for a Service in another namespace)',
      },
    });
  },
});
