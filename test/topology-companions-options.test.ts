/** Options of the topology and cross-object companion rules, through the real engine and config. */
import { lintText, only } from './helpers';

function run(text: string, id: string, options: Record<string, unknown>) {
  const res = lintText(text, { config: { rules: { [id]: { options } } }, rules: only(id) });
  expect(res.internalErrors).toEqual([]);
  return res.results
    .flatMap((r) => r.messages)
    .filter((m) => m.ruleId === id)
    .map((m) => `${m.line}:${m.column} ${m.level}`);
}

const STS_NO_SERVICE = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
  namespace: platform
spec:
  replicas: 1
  selector:
    matchLabels: {app: cache}
  template:
    metadata:
      labels: {app: cache}
    spec:
      containers:
        - name: redis
          image: redis:7.4
`;

test('statefulset-headless-service: requireServiceName reports a StatefulSet without serviceName at its spec', () => {
  expect(run(STS_NO_SERVICE, 'statefulset-headless-service', {})).toEqual([]);
  expect(run(STS_NO_SERVICE, 'statefulset-headless-service', { requireServiceName: true })).toEqual(['6:1 warning']);
});

const UNSELECTED_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: web}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.0.0
`;

test('networkpolicy-port: warnUnselected can be turned off for partial inputs', () => {
  expect(run(UNSELECTED_POLICY, 'networkpolicy-port', {})).toEqual(['7:3 warning']);
  expect(run(UNSELECTED_POLICY, 'networkpolicy-port', { warnUnselected: false })).toEqual([]);
});

const HOOK = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      lifecycle:
        preStop:
          httpGet:
            path: /drain
            port: admin
`;

test('probe-port-exists: checkLifecycleHandlers can be turned off', () => {
  expect(run(HOOK, 'probe-port-exists', {})).toEqual(['13:13 error']);
  expect(run(HOOK, 'probe-port-exists', { checkLifecycleHandlers: false })).toEqual([]);
});

const DEPLOY_HOST_ONLY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: kv
spec:
  replicas: 3
  selector:
    matchLabels: {app: kv}
  template:
    metadata:
      labels: {app: kv}
    spec:
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: example.com/node
          whenUnsatisfiable: DoNotSchedule
          labelSelector:
            matchLabels: {app: kv}
      containers:
        - name: kv
          image: registry.example.com/kv:1.0.0
`;

test('topology-spread-constraints: quorumKinds and hostTopologyKeys decide the zone check', () => {
  expect(run(DEPLOY_HOST_ONLY, 'topology-spread-constraints', {})).toEqual([]);
  // a Deployment declared a quorum kind, with a custom host key: spreading only by host is reported
  expect(
    run(DEPLOY_HOST_ONLY, 'topology-spread-constraints', { quorumKinds: ['Deployment'], hostTopologyKeys: ['example.com/node'] }),
  ).toEqual(['15:11 warning']);
  // the custom key counted as a zone key: fine
  expect(
    run(DEPLOY_HOST_ONLY, 'topology-spread-constraints', { quorumKinds: ['Deployment'], zoneTopologyKeys: ['example.com/node'] }),
  ).toEqual([]);
  // minZoneReplicas above the replica count: no zone check
  expect(
    run(DEPLOY_HOST_ONLY, 'topology-spread-constraints', {
      quorumKinds: ['Deployment'],
      hostTopologyKeys: ['example.com/node'],
      minZoneReplicas: 4,
    }),
  ).toEqual([]);
});

test('topology-spread-constraints: a quorum kind without any spreading is an error', () => {
  const text = DEPLOY_HOST_ONLY.replace(/      topologySpreadConstraints:[\s\S]*?\{app: kv\}\n(?=      containers)/, '');
  expect(run(text, 'topology-spread-constraints', {})).toEqual(['12:5 warning']);
  // quorum kind, but the image (kv) is not known to be a quorum system: a warning
  expect(run(text, 'topology-spread-constraints', { quorumKinds: ['Deployment'] })).toEqual(['12:5 warning']);
  expect(run(text, 'topology-spread-constraints', { quorumKinds: ['Deployment'], quorumImages: ['kv'] })).toEqual(['12:5 error']);
  // an empty quorumImages treats every workload of the quorum kinds as a quorum system
  expect(run(text, 'topology-spread-constraints', { quorumKinds: ['Deployment'], quorumImages: [] })).toEqual(['12:5 error']);
});
