// containerEnv() is computed once per container for the rules of an object, and containers() lists are kept per set
// of kinds: what they return must not depend on which rule asked first, the order of the kinds, or a YAML alias.
import { loadSource } from '../src/engine/linter';
import { containerEnv } from '../src/model/env';
import { ObjectIndex } from '../src/model/index';
import { containers } from '../src/model/workload';

const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: prod}
spec:
  template:
    spec:
      initContainers:
        - &c
          name: app
          image: app:1
          restartPolicy: Always
          envFrom:
            - configMapRef: {name: settings}
          env:
            - name: READ_TIMEOUT
              value: "5s"
            - name: FROM_MAP
              valueFrom:
                configMapKeyRef: {name: settings, key: mode}
            - name: SECRET
              valueFrom:
                secretKeyRef: {name: s, key: k}
            - name: EMPTY
      containers:
        - *c
        - name: other
          image: other:1
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: prod}
data:
  mode: fast
  READ_TIMEOUT: "9s"
`;

function setup() {
  const objects = loadSource('a.yaml', '/tmp/a.yaml', text, 'default').objects;
  const index = new ObjectIndex();
  for (const o of objects) index.add(o);
  return { obj: objects[0]!, index };
}

describe('containerEnv', () => {
  test('the environment as the kubelet builds it, each variable at its own path', () => {
    const { obj, index } = setup();
    const [sidecar, regular] = containers(obj);
    const env = containerEnv(obj, sidecar!, index);
    expect([...env.values()]).toEqual([
      {
        name: 'mode',
        value: 'fast',
        source: 'ConfigMap settings key mode via envFrom',
        path: ['spec', 'template', 'spec', 'initContainers', 0, 'envFrom', 0],
        fromConfigMap: true,
      },
      {
        name: 'READ_TIMEOUT',
        value: '5s',
        source: 'env READ_TIMEOUT',
        path: ['spec', 'template', 'spec', 'initContainers', 0, 'env', 0, 'value'],
        fromConfigMap: false,
      },
      {
        name: 'FROM_MAP',
        value: 'fast',
        source: 'ConfigMap settings key mode via env FROM_MAP',
        path: ['spec', 'template', 'spec', 'initContainers', 0, 'env', 1, 'valueFrom'],
        fromConfigMap: true,
      },
      {
        name: 'SECRET',
        value: undefined,
        source: 'env SECRET',
        path: ['spec', 'template', 'spec', 'initContainers', 0, 'env', 2, 'valueFrom'],
        fromConfigMap: false,
      },
      {
        name: 'EMPTY',
        value: '',
        source: 'env EMPTY',
        path: ['spec', 'template', 'spec', 'initContainers', 0, 'env', 3],
        fromConfigMap: false,
      },
    ]);
    // asked again (another rule on the same object): the same answer
    expect(containerEnv(obj, sidecar!, index)).toBe(env);
    // the same container object under an alias, at another path: its own paths
    expect(regular!.container).toBe(sidecar!.container);
    const aliased = containerEnv(obj, regular!, index);
    expect(aliased.get('READ_TIMEOUT')!.path).toEqual(['spec', 'template', 'spec', 'containers', 0, 'env', 0, 'value']);
    expect(containerEnv(obj, sidecar!, index).get('READ_TIMEOUT')!.path[3]).toBe('initContainers');
  });

  test('another index (a rule reading through its own facade) gets its own answer', () => {
    const { obj, index } = setup();
    const [sidecar] = containers(obj);
    const empty = new ObjectIndex();
    expect(containerEnv(obj, sidecar!, index).get('FROM_MAP')!.value).toBe('fast');
    expect(containerEnv(obj, sidecar!, empty).get('FROM_MAP')!.value).toBeUndefined();
    expect(containerEnv(obj, sidecar!, index).get('FROM_MAP')!.value).toBe('fast');
  });
});

describe('containers() by kinds', () => {
  test('the same list whatever the order of the kinds, a fresh array each time', () => {
    const { obj } = setup();
    const names = (kinds: Parameters<typeof containers>[1]) => containers(obj, kinds).map((c) => `${c.kind}:${c.field}:${c.index}`);
    expect(names(['regular', 'sidecar'])).toEqual(['sidecar:initContainers:0', 'regular:containers:0', 'regular:containers:1']);
    expect(names(['sidecar', 'regular'])).toEqual(names(['regular', 'sidecar']));
    expect(names(['regular'])).toEqual(['regular:containers:0', 'regular:containers:1']);
    expect(names(['init'])).toEqual([]);
    expect(names(['init', 'sidecar', 'regular', 'ephemeral'])).toEqual(names(undefined));
    expect(containers(obj)).not.toBe(containers(obj));
  });
});
