/** The workloads an egress rule's `to` peers select: podSelector and namespaceSelector, resolved against the Namespaces of the run. */
import { asArray, isObj, own } from '../../src/model/object.js';
import type { ObjectIndex } from '../../src/model/index.js';
import { compileSelector, type CompiledSelector } from '../../src/util/selector.js';
import { podSources, sourcesMatching } from '../../src/model/operators.js';
import type { MO } from './index.js';

const NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The workloads an egress rule's `to` peers select, or undefined when that
 * cannot be decided from the input (no peers, an ipBlock peer, a
 * namespaceSelector whose match cannot be decided for a namespace in the input).
 */
export function egressDestinations(
  to: unknown,
  ns: string,
  index: ObjectIndex,
  settings: Readonly<Record<string, unknown>>,
): MO[] | undefined {
  const peers = asArray(to);
  if (peers.length === 0) return undefined;
  const out = new Set<MO>();
  for (const peer of peers) {
    if (!isObj(peer)) return undefined;
    if (own(peer, 'ipBlock') !== undefined) return undefined;
    const podSel = own(peer, 'podSelector');
    const nsSel = own(peer, 'namespaceSelector');
    if ((podSel === undefined || podSel === null) && (nsSel === undefined || nsSel === null)) return undefined;
    const pods = podSel === undefined || podSel === null ? compileSelector({}) : compileSelector(podSel);
    let namespaces: string[];
    if (nsSel === undefined || nsSel === null) {
      namespaces = [ns];
    } else {
      const decided = matchNamespaces(compileSelector(nsSel), nsSel, index);
      if (!decided) return undefined;
      namespaces = decided;
    }
    // operator-created pods (unknown container ports) among the destinations: undecidable
    for (const n of namespaces) if (sourcesMatching(podSources(index, n, settings), (l) => pods.matches(l)).length) return undefined;
    for (const n of namespaces) for (const w of index.workloadsMatching(n, pods)) out.add(w);
  }
  return [...out];
}

/** Namespaces of the input that a namespaceSelector selects, or undefined when a workload namespace cannot be decided. */
function matchNamespaces(sel: CompiledSelector, raw: unknown, index: ObjectIndex): string[] | undefined {
  if (!sel.valid) return [];
  const { all: candidates, withWorkloads } = index.namespaces();
  const nameOnly = isNameOnly(raw);
  const out: string[] = [];
  for (const n of candidates) {
    const nsObj = index.find('Namespace', '', n, '');
    if (nsObj) {
      if (sel.matches({ ...nsObj.labels, [NAME_LABEL]: n })) out.push(n);
    } else if (sel.selectsEverything || nameOnly) {
      if (sel.matches({ [NAME_LABEL]: n })) out.push(n);
    } else if (withWorkloads.has(n)) {
      return undefined; // workloads here, but the namespace's labels are unknown
    }
  }
  return out;
}

/** A selector that constrains only kubernetes.io/metadata.name (matchLabels or In), decidable without the Namespace object. */
function isNameOnly(raw: unknown): boolean {
  if (!isObj(raw)) return false;
  const ml = isObj(raw.matchLabels) ? Object.keys(raw.matchLabels) : [];
  const me = asArray(raw.matchExpressions);
  return (
    ml.every((k) => k === NAME_LABEL) &&
    me.every((e) => isObj(e) && e.key === NAME_LABEL && e.operator === 'In') &&
    ml.length + me.length > 0
  );
}
