/** The suggested topologySpreadConstraints: by node and by zone, with the pod's own labels. */
import type { ReportDescriptor } from '../../src/engine/rule.js';
import type { Obj } from '../../src/model/object.js';
import type { PathSeg } from '../../src/parse/source.js';
import type { FixValue } from '../../src/fix/edits.js';

/**
 * Spread constraints with the pod's own labels: by node, and by zone (both
 * ScheduleAnyway, which never blocks scheduling; DoNotSchedule by node for a
 * known quorum system). A suggestion: where to spread is the operator's call.
 */
export function spreadSuggestion(
  specPath: PathSeg[],
  labels: Obj,
  quorum: boolean,
  zoneQuorum: boolean,
): Pick<ReportDescriptor, 'suggest'> {
  const matchLabels = stringLabels(labels);
  if (!matchLabels) return {};
  const host = quorum ? 'DoNotSchedule' : 'ScheduleAnyway';
  const zone = zoneQuorum ? 'DoNotSchedule' : 'ScheduleAnyway';
  return {
    suggest: [
      {
        desc: `Add topologySpreadConstraints by kubernetes.io/hostname (${host}) and topology.kubernetes.io/zone (${zone}) selecting the pod labels`,
        fix: (f) =>
          f.set(
            [...specPath, 'topologySpreadConstraints'],
            [constraint('kubernetes.io/hostname', host, matchLabels), constraint('topology.kubernetes.io/zone', zone, matchLabels)],
          ),
      },
    ],
  };
}

function constraint(topologyKey: string, when: string, matchLabels: Record<string, string>): FixValue {
  return { maxSkew: 1, topologyKey, whenUnsatisfiable: when, labelSelector: { matchLabels } };
}

function stringLabels(labels: Obj): Record<string, string> | undefined {
  const entries = Object.entries(labels);
  if (entries.length === 0 || !entries.every(([, v]) => typeof v === 'string')) return undefined;
  return Object.fromEntries(entries) as Record<string, string>;
}

/** A zone constraint (DoNotSchedule) with the pod's labels, appended to the pod's topologySpreadConstraints. */
export function zoneSuggestion(specPath: PathSeg[], labels: Obj): Pick<ReportDescriptor, 'suggest'> {
  const matchLabels = stringLabels(labels);
  if (!matchLabels) return {};
  return {
    suggest: [
      {
        desc: 'Add a topologySpreadConstraint on topology.kubernetes.io/zone (DoNotSchedule) selecting the pod labels',
        fix: (f) =>
          f.append([...specPath, 'topologySpreadConstraints'], constraint('topology.kubernetes.io/zone', 'DoNotSchedule', matchLabels)),
      },
    ],
  };
}
