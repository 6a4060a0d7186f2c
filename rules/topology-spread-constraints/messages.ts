/** The topology-spread-constraints rule's messages. */
export const MESSAGES = {
  apiRejects: { text: '{{message}}', severity: 'error' },
  noSelector: '{{message}}',
  maxSkew:
    'maxSkew {{maxSkew}} is not below the {{replicas}} replicas ({{source}}), so all of them may be placed in one {{key}} domain and this constraint never keeps them apart; use maxSkew: 1.',
  noSpread: {
    text: '{{what}} but neither topologySpreadConstraints nor pod anti-affinity, so they may all land on one node and fail together; add topologySpreadConstraints by kubernetes.io/hostname (and topology.kubernetes.io/zone) with a labelSelector matching the pod labels {{labels}}.',
    severity: 'warning',
  },
  noSpreadQuorum: {
    text: '{{what}} but neither topologySpreadConstraints nor pod anti-affinity: the scheduler may put a majority of them on one node or in one zone, and losing it loses quorum; spread them by kubernetes.io/hostname and topology.kubernetes.io/zone with a labelSelector matching the pod labels {{labels}}.',
    severity: 'error',
  },
  /** the only anti-affinity terms keep the pods away from other pods: nothing spreads the replicas */
  otherPods: {
    text: "{{term}} keeps these pods away from other pods ({{selector}}), not from each other: it does not select this {{kind}}'s own pods (labels {{labels}}) and nothing else spreads the {{replicas}} replicas, so they may all land on one node and fail together; add topologySpreadConstraints by kubernetes.io/hostname (and topology.kubernetes.io/zone) with a labelSelector matching the pod labels.",
    severity: 'warning',
  },
  otherPodsQuorum: {
    text: "{{term}} keeps these pods away from other pods ({{selector}}), not from each other: it does not select this {{kind}}'s own pods (labels {{labels}}) and nothing else spreads the {{replicas}} replicas, so the scheduler may put a majority of them on one node or in one zone, and losing it loses quorum; spread them by kubernetes.io/hostname and topology.kubernetes.io/zone with a labelSelector matching the pod labels.",
    severity: 'error',
  },
  notOwnPods: {
    text: "{{term}} does not select this {{kind}}'s own pods (labels {{labels}}): it {{miss}}, so it never keeps the {{replicas}} replicas apart. Make the selector match the pod template labels.",
    severity: 'error',
  },
  nodesOnly: {
    text: '{{what}} but spreads them only across nodes ({{key}}): a single zone outage can still take a majority and lose quorum; add a topologySpreadConstraint on topology.kubernetes.io/zone with whenUnsatisfiable: DoNotSchedule.',
    severity: 'warning',
  },
  zoneScheduleAnyway: {
    text: 'the zone constraint of {{kind}} "{{name}}" ({{replicas}} replicas) uses whenUnsatisfiable: ScheduleAnyway, a preference the scheduler drops under pressure, so a majority can end up in one zone and lose quorum in a zone outage; use DoNotSchedule.',
    severity: 'warning',
  },
  zonePreferredAntiAffinity: {
    text: 'the zone spread of {{kind}} "{{name}}" ({{replicas}} replicas) is only a preferred anti-affinity, which the scheduler drops under pressure, so a majority can end up in one zone; add a topologySpreadConstraint on {{key}} with whenUnsatisfiable: DoNotSchedule.',
    severity: 'warning',
  },
} as const;
